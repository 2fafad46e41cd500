"""Files in and out: atomic writes (video included), bounded reads of user files, metrics as CSV/JSON,
the shipped resources, and signals turned into a cancel flag. Knows nothing of torch, Qt or the GAN."""
