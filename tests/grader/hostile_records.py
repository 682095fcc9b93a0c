"""Submissions that reach the runner's objects and send the server rigged result records.

Shared by the record tests and `bench.grader` (which reports the server's CPU spent on the worst).
"""

from tests.grader.seed_example import CORRECT_SOLUTION

REACH_THE_RUNNER = '''
import sys
frame = sys._getframe()
while frame is not None and "run" not in frame.f_locals:
    frame = frame.f_back
run = frame.f_locals["run"]
'''
# Records the runner's own emit signs: what the old parser turned into ~800 MB of syntax tree.
HUGE_SIGNED_LITERAL = REACH_THE_RUNNER + '''
body = b'[1,"load","ok","",[' + b"0," * 2_000_000 + b'0]]'
digest = run._mac.copy()
digest.update(body)
import os
os.write(run._fd, digest.hexdigest().encode() + b" " + body + b"\\n")
''' + CORRECT_SOLUTION
MANY_SMALL_VALUES = REACH_THE_RUNNER + '''
run.emit("load", "ok", "", [0] * 200_000)
''' + CORRECT_SOLUTION
OVERSIZED_LINE = REACH_THE_RUNNER + '''
import os
os.write(run._fd, b"0" * 32 + b" [1," + b"1," * 4_000_000)
''' + CORRECT_SOLUTION
DEEP_NESTING = REACH_THE_RUNNER + '''
body = b'[1,"load","ok","",' + b"[" * 200_000 + b"]" * 200_000 + b"]"
digest = run._mac.copy()
digest.update(body)
import os
os.write(run._fd, digest.hexdigest().encode() + b" " + body + b"\\n")
''' + CORRECT_SOLUTION
HOSTILE_RECORDS = {"huge_signed_literal": HUGE_SIGNED_LITERAL, "many_small_values": MANY_SMALL_VALUES,
                   "oversized_line": OVERSIZED_LINE, "deep_nesting": DEEP_NESTING}
