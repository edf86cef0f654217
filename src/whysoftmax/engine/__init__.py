"""The untrusted search around the kernel: tactics, time limits, numeric sampling,
results and the certificate store. It proposes; :mod:`whysoftmax.kernel` decides."""
