"""Softmax and friends in float64, within a couple of ULPs of the exact value; numpy only.

``softmax``, ``log_softmax`` and ``logsumexp`` are drop-ins for scipy.special's (same
signatures and defaults, complex numbers, weights ``b``, ``return_sign``, NumPy scalars
for 0-d results; scipy's own test file passes against them), and every other function
names the derivation step it computes. Importing this package does not import SymPy.

The problem (Blanchard, Higham & Higham 2021): the textbook stable form
``exp(z − max z) / Σ exp(z − max z)`` rounds ``z_i − max z`` before ``exp`` sees it, and
``exp`` turns that absolute error into a relative one of up to ``|z_i − max z| · 2^-53``
— hundreds of ULPs for gaps of hundreds; ``log(Σ …)`` loses everything when the sum is
1 + tiny. What the kernel does instead (each form proven for general n in
``derivations/stable_forms.py``, section "identities for issue 11"):

1. a shift ``c`` for which every ``z_j − c`` is exact (0, ⌊max z⌋ or a power of two), the
   arg max term ``e^{max z − c}`` once per slice in double-double;
2. the other terms summed exactly (their parts on a power-of-two grid add without
   rounding), so the denominator is good to 2^-60 and the one rounding left is the
   reciprocal's;
3. ``softmax = p · fl(1/S)``, ``log_softmax = (z − max z) − log1p(T/E)``,
   ``logsumexp = max z + log1p(T/E)``.

float32 and float16 are computed in float64 and rounded once. Arrays are processed in
cache-sized blocks with preallocated buffers; reductions along axis 0 run on row blocks,
never on a transposed copy. Inputs of at most 64 entries take a Python-float path,
slice by slice (microseconds a call; the array path costs some 60 µs before its first
element).

Data that arrive in chunks (or are reduced in parallel blocks): ``OnlineLogSumExp`` and
``OnlineAttention`` keep the online-softmax state ``(m, ℓ[, o])`` per slice and merge by
``⊕`` (``derivations/online_softmax.py``); ``logsumexp_chunks``, ``softmax_chunks`` (two
passes) and ``attention_chunks`` take an iterable of chunks. Same ≤ 2 ULP, whatever the
chunking; see :mod:`whysoftmax.numeric._streaming`.

Threads: ``WHYSOFTMAX_NUM_THREADS`` (an environment variable, read at each call; default
1) shares groups of slices among that many threads (numpy releases the GIL in its loops).
On the 2-core machine of docs/benchmarks.md a second thread gained nothing measurable, so
the default is one — the same as scipy.special.

Special values (no RuntimeWarning escapes): a ``+inf`` entry gets probability 1 (several
share it equally) and log-probability ``−log k`` for k of them, the others 0 and ``−inf``;
NaN anywhere in a slice makes the slice NaN; a slice of only ``−inf`` has ``logsumexp =
−inf`` (as scipy) and softmax/log_softmax NaN (0/0). See :mod:`whysoftmax.numeric._special`.

Examples
--------
>>> from whysoftmax.numeric import softmax, log_softmax, logsumexp
>>> softmax([1.0, 2.0, 3.0])
array([0.09003057, 0.24472847, 0.66524096])
>>> float(log_softmax([0.0, -55.0])[0])  # scipy: 0.0
-1.29958142500750e-24
"""

from ._derived import *  # noqa: F403
from ._derived import __all__ as _derived_all
from ._softmax import *  # noqa: F403
from ._softmax import __all__ as _softmax_all
from ._streaming import *  # noqa: F403
from ._streaming import __all__ as _streaming_all

__all__ = sorted([*_softmax_all, *_derived_all, *_streaming_all])
