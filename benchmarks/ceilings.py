"""Float32 speed ceilings of this machine, in GFLOP/s, one per process.

    python benchmarks/ceilings.py numpy|tensorflow|jax|jax_train_step|tensorflow_train_step [models]

``numpy``, ``tensorflow``, ``jax``: the best of five 4096² matrix products.
``jax_train_step [models]``, ``tensorflow_train_step [models]``: the study's own step
written by hand, without Keras or a data pipeline: one compiled RMSprop update of
``models`` (default 1) 784→1568→10 networks, each on its own 512-row batch, the data
already in memory; FLOPs counted by ``dense_flops_per_row`` (matrix products only), as
the study's are.
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


def _network(dims: tuple[int, ...], seed: int):
    """Initial weights and biases of a dense network (NumPy, float32)."""
    import numpy as np

    rng = np.random.default_rng(seed)
    return [
        ((rng.standard_normal((a, b)) * 0.03).astype(np.float32), np.zeros(b, np.float32))
        for a, b in zip(dims[:-1], dims[1:], strict=False)
    ]


def jax_train_step(
    batch: int = 512, dims: tuple[int, ...] = (784, 1568, 10), models: int = 1
) -> float:
    """``models`` networks, each taking one RMSprop step on its own batch in one jitted
    step (as ``batched.py`` steps its models)."""
    import jax
    import jax.numpy as jnp
    import numpy as np

    rng = np.random.default_rng(0)
    x = jnp.asarray(rng.standard_normal((models, batch, dims[0]), np.float32))
    y = jax.nn.one_hot(jnp.arange(batch) % dims[-1], dims[-1])

    def loss(params, x, y):
        for w, b in params[:-1]:
            x = jax.nn.relu(x @ w + b)
        w, b = params[-1]
        return -jnp.mean(jnp.sum(y * jax.nn.log_softmax(x @ w + b), axis=-1))

    def one_step(params, mean_square, x, y):  # Keras' RMSprop: rho 0.9, epsilon 1e-7
        grads = jax.grad(loss)(params, x, y)
        mean_square = jax.tree.map(lambda m, g: 0.9 * m + 0.1 * g * g, mean_square, grads)
        params = jax.tree.map(
            lambda p, g, m: p - 5e-4 * g / (jnp.sqrt(m) + 1e-7), params, grads, mean_square
        )
        return params, mean_square

    @jax.jit
    def step(state, x, y):
        return [one_step(*state[k], x[k], y) for k in range(models)]

    params = [jax.tree.map(jnp.asarray, _network(dims, k)) for k in range(models)]
    state = [(p, jax.tree.map(jnp.zeros_like, p)) for p in params]
    steps = 64

    def run() -> None:
        nonlocal state
        for _ in range(steps):
            state = step(state, x, y)
        jax.block_until_ready(state)

    run()  # compile
    _, per_row = dense_flops_per_row(list(dims))
    return best_rate(run, models * steps * batch * per_row)


def tensorflow_train_step(
    batch: int = 512, dims: tuple[int, ...] = (784, 1568, 10), models: int = 1
) -> float:
    """``jax_train_step`` in TensorFlow: one XLA-compiled ``tf.function`` step of
    ``models`` networks."""
    import numpy as np
    import tensorflow as tf

    rng = np.random.default_rng(0)
    x = tf.constant(rng.standard_normal((models, batch, dims[0]), np.float32))
    y = tf.one_hot(tf.range(batch) % dims[-1], dims[-1])
    params = [[tf.Variable(a) for layer in _network(dims, k) for a in layer]
              for k in range(models)]  # fmt: skip
    squares = [[tf.Variable(tf.zeros_like(v)) for v in p] for p in params]

    def loss(weights, x):
        for w, b in zip(weights[:-2:2], weights[1:-2:2], strict=True):
            x = tf.nn.relu(x @ w + b)
        logits = x @ weights[-2] + weights[-1]
        return -tf.reduce_mean(tf.reduce_sum(y * tf.nn.log_softmax(logits), axis=-1))

    @tf.function(jit_compile=True)
    def step():
        for k in range(models):
            with tf.GradientTape() as tape:
                value = loss(params[k], x[k])
            for p, m, g in zip(params[k], squares[k], tape.gradient(value, params[k]),
                               strict=True):  # fmt: skip
                m.assign(0.9 * m + 0.1 * g * g)
                p.assign_sub(5e-4 * g / (tf.sqrt(m) + 1e-7))

    steps = 64

    def run() -> None:
        for _ in range(steps):
            step()
        params[0][0].numpy()

    run()  # compile
    _, per_row = dense_flops_per_row(list(dims))
    return best_rate(run, models * steps * batch * per_row)


CEILINGS = {
    "numpy": numpy_matmul,
    "tensorflow": tensorflow_matmul,
    "jax": jax_matmul,
    "jax_train_step": jax_train_step,
    "tensorflow_train_step": tensorflow_train_step,
}

if __name__ == "__main__":
    if sys.argv[1].endswith("_train_step"):  # [models]: that many networks a step
        print(CEILINGS[sys.argv[1]](models=int(sys.argv[2]) if len(sys.argv) > 2 else 1))
    else:
        print(CEILINGS[sys.argv[1]]())
