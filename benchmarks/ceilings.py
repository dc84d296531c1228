"""Float32 speed ceilings of this machine, in GFLOP/s, one per process.

    python benchmarks/ceilings.py numpy|tensorflow|jax|jax_train_step

``numpy``, ``tensorflow``, ``jax``: the best of five 4096² matrix products.
``jax_train_step``: the study's own step written by hand in JAX, without Keras or a
data pipeline: one jitted RMSprop update of the 784→1568→10 network on a 512-row
batch, the data already in memory; FLOPs counted by ``dense_flops_per_row`` (matrix
products only), as the study's are.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable

N = 4096


def dense_flops_per_row(dims: list[int]) -> tuple[int, int]:
    """Multiply-add FLOPs per row of a dense network: ``(forward, training step)``.

    Forward 2·W; a training step adds weight gradients 2·W and input gradients 2·W
    except for the first layer (no gradient is needed for the data). Biases and
    activations are ignored.
    """
    weights = [a * b for a, b in zip(dims[:-1], dims[1:], strict=False)]
    forward = 2 * sum(weights)
    return forward, forward + 2 * sum(weights) + 2 * sum(weights[1:])


def best_rate(run: Callable[[], object], flops: float, repeat: int = 5) -> float:
    best = 0.0
    for _ in range(repeat):
        start = time.perf_counter()
        run()
        best = max(best, flops / (time.perf_counter() - start) / 1e9)
    return best


def numpy_matmul() -> float:
    import numpy as np

    a = np.random.default_rng(0).standard_normal((N, N), dtype=np.float32)
    b = a.copy()
    return best_rate(lambda: a @ b, 2 * N**3)


def tensorflow_matmul() -> float:
    import tensorflow as tf

    a, b = tf.random.normal((N, N)), tf.random.normal((N, N))
    return best_rate(lambda: tf.linalg.matmul(a, b).numpy(), 2 * N**3)


def jax_matmul() -> float:
    import jax
    import jax.numpy as jnp

    a = jax.random.normal(jax.random.key(0), (N, N), jnp.float32)
    b = a + 1
    product = jax.jit(jnp.matmul)
    product(a, b).block_until_ready()
    return best_rate(lambda: product(a, b).block_until_ready(), 2 * N**3)


def jax_train_step(batch: int = 512, dims: tuple[int, ...] = (784, 1568, 10)) -> float:
    import jax
    import jax.numpy as jnp

    keys = jax.random.split(jax.random.key(0), len(dims) + 1)
    params = [
        (jax.random.normal(k, (a, b)) * 0.03, jnp.zeros(b))
        for k, a, b in zip(keys, dims[:-1], dims[1:], strict=False)
    ]
    x = jax.random.normal(keys[-1], (batch, dims[0]))
    y = jax.nn.one_hot(jnp.arange(batch) % dims[-1], dims[-1])

    def loss(params, x, y):
        for w, b in params[:-1]:
            x = jax.nn.relu(x @ w + b)
        w, b = params[-1]
        return -jnp.mean(jnp.sum(y * jax.nn.log_softmax(x @ w + b), axis=-1))

    @jax.jit
    def step(params, mean_square, x, y):  # Keras' RMSprop: rho 0.9, epsilon 1e-7
        grads = jax.grad(loss)(params, x, y)
        mean_square = jax.tree.map(lambda m, g: 0.9 * m + 0.1 * g * g, mean_square, grads)
        params = jax.tree.map(
            lambda p, g, m: p - 5e-4 * g / (jnp.sqrt(m) + 1e-7), params, grads, mean_square
        )
        return params, mean_square

    state = (params, jax.tree.map(jnp.zeros_like, params))
    steps = 64

    def run() -> None:
        nonlocal state
        for _ in range(steps):
            state = step(*state, x, y)
        jax.block_until_ready(state)

    run()  # compile
    _, per_row = dense_flops_per_row(list(dims))
    return best_rate(run, steps * batch * per_row)


CEILINGS = {
    "numpy": numpy_matmul,
    "tensorflow": tensorflow_matmul,
    "jax": jax_matmul,
    "jax_train_step": jax_train_step,
}

if __name__ == "__main__":
    print(CEILINGS[sys.argv[1]]())
