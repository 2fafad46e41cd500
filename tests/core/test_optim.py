"""The batched optimizer is the only hand-written optimizer: it must follow torch.optim step for step."""

import pytest
import torch

from ganviz.core.optim import BatchedOptimizer


def reference_run(kind, lr, beta1, momentum, grads, start):
    p = torch.nn.Parameter(start.clone())
    if kind == "adam":
        opt = torch.optim.Adam([p], lr=lr, betas=(beta1, 0.999), foreach=True)
    elif kind == "rmsprop":
        opt = torch.optim.RMSprop([p], lr=lr, foreach=True)
    else:
        opt = torch.optim.SGD([p], lr=lr, momentum=momentum, foreach=True)
    for g in grads:
        p.grad = g.clone()
        opt.step()
    return p.detach()


@pytest.mark.parametrize("kind", ["adam", "sgd", "rmsprop"])
def test_each_member_follows_torch_optim_step_for_step(kind):
    torch.manual_seed(0)
    lrs, beta1s, moms = [1e-3, 5e-3, 2e-2], [0.0, 0.5, 0.9], [0.0, 0.5, 0.9]
    start = torch.randn(3, 40)
    grads = [torch.randn(3, 40) for _ in range(30)]
    p = start.clone()
    opt = BatchedOptimizer(kind, p, torch.tensor(lrs), torch.tensor(beta1s), 0.999, torch.tensor(moms))
    for g in grads:
        opt.step(g)
    for i in range(3):
        ref = reference_run(kind, lrs[i], beta1s[i], moms[i], [g[i] for g in grads], start[i])
        assert torch.allclose(p[i], ref, atol=1e-6, rtol=1e-5), (kind, i)


@pytest.mark.parametrize("kind", ["adam", "sgd", "rmsprop"])
def test_a_member_that_sits_out_an_update_keeps_its_parameters_and_state(kind):
    torch.manual_seed(1)
    start = torch.randn(2, 10)
    grads = [torch.randn(2, 10) for _ in range(6)]
    p = start.clone()
    opt = BatchedOptimizer(kind, p, torch.tensor([1e-2, 1e-2]), torch.tensor([0.5, 0.5]), 0.999,
                           torch.tensor([0.9, 0.9]))
    member1 = []
    for j, g in enumerate(grads):  # member 1 takes only every other update (as with a smaller k)
        active = j % 2 == 0
        opt.step(g, mask=torch.tensor([1.0, 1.0 if active else 0.0]))
        if active:
            member1.append(g[1])
    ref0 = reference_run(kind, 1e-2, 0.5, 0.9, [g[0] for g in grads], start[0])
    ref1 = reference_run(kind, 1e-2, 0.5, 0.9, member1, start[1])
    assert torch.allclose(p[0], ref0, atol=1e-6) and torch.allclose(p[1], ref1, atol=1e-6)


@pytest.mark.parametrize("kind", ["adam", "sgd", "rmsprop"])
def test_the_unrolled_look_ahead_is_the_optimizer_s_own_update_and_changes_nothing(kind):
    """Unrolled D (Metz et al.) steps D with its own optimizer, differentiably: the look-ahead from the current
    state lands where the real steps land, and the real parameters and state stay as they were."""
    torch.manual_seed(2)
    p = torch.randn(2, 30)
    opt = BatchedOptimizer(kind, p, torch.tensor([1e-2, 3e-3]), torch.tensor([0.5, 0.9]), 0.999,
                           torch.tensor([0.5, 0.0]))
    for _ in range(4):
        opt.step(torch.randn(2, 30))
    grads = [torch.randn(2, 30) for _ in range(3)]
    before, state = p.clone(), opt.unroll_state()
    q = p.clone()
    for g in grads:
        q, state = opt.lookahead(q, g, state)
    assert torch.equal(p, before)  # nothing moved
    for g in grads:
        opt.step(g)
    assert torch.allclose(q, p, atol=1e-6, rtol=1e-5)
