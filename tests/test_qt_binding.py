"""The Qt binding must not lose references to None: PySide6 6.12.0 on Python < 3.12 returns None from every
void method without a new reference (and True from Signal.emit), so a GUI run dies with "Fatal Python error:
none_dealloc: deallocating None" once the count reaches zero (their bug, not ours; cf. CPython gh-134989 on
Py_RETURN_NONE in the limited API). pyproject.toml excludes that release; this test shows why, on any release."""

import subprocess
import sys

import pytest

SCRIPT = """
import sys
from PySide6.QtCore import QObject
o = QObject()
o.setObjectName("warm")
before = sys.getrefcount(None)
for _ in range(20000):
    o.setObjectName("x")
print(sys.getrefcount(None) - before)
"""


@pytest.mark.skipif(sys.version_info >= (3, 12), reason="None is immortal from Python 3.12 on")
def test_void_qt_calls_do_not_eat_references_to_none():
    r = subprocess.run([sys.executable, "-c", SCRIPT], capture_output=True, text=True, timeout=60)
    assert r.returncode == 0, r.stderr[-500:]
    assert int(r.stdout.strip()) > -1000, "this PySide6 release drops a reference to None on every void call"
