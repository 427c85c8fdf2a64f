#!/usr/bin/env python3
"""Reads wrk --latency output on stdin; prints 'requests_per_second p50_ms p99_ms'."""
import re
import sys

text = sys.stdin.read()


def to_ms(value: str) -> float:
    number, unit = re.match(r"([\d.]+)(us|ms|s|m)", value).groups()
    return float(number) * {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60000.0}[unit]


rps = float(re.search(r"Requests/sec:\s+([\d.]+)", text).group(1))
p50 = to_ms(re.search(r"^\s+50%\s+(\S+)", text, re.M).group(1))
p99 = to_ms(re.search(r"^\s+99%\s+(\S+)", text, re.M).group(1))
non2xx = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", text)
if non2xx:
    # Refused requests (a bad signature, say) are cheap and would inflate the figure: the run does not count.
    sys.exit(f"error: {non2xx.group(1)} non-2xx responses; the run measured refusals, not the endpoint")
print(f"{rps:.2f} {p50:.3f} {p99:.3f}")
