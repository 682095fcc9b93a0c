"""The result channel: what the server accepts from the sandbox, and what it costs to refuse the rest.

A submission can reach the runner's objects (frames) and emit any record with a valid MAC, so the
server must treat each record as hostile bytes: bounded size and shape before parsing, and a parser
whose cost is linear and small (JSON, never Python literals).
"""

import json
import os
import subprocess
import sys
from hashlib import blake2b
from pathlib import Path

import pytest

from services.grader import Limits, Probe
from services.grader import sandbox as sandbox_module
from services.grader.challenge import MAX_SUBRESULTS
from services.grader.sandbox import RecordReader, decode_record, record_cap
from services.grader.sandbox_text import to_json
from tests.grader.hostile_records import HOSTILE_RECORDS
from tests.grader.seed_example import VARIABLES_TESTS

NONCE = b"n" * 32
CAP = record_cap(Limits())
PROJECT = Path(__file__).resolve().parents[2]


def signed(payload: bytes, nonce: bytes = NONCE) -> bytes:
    return blake2b(payload, key=nonce, digest_size=16).hexdigest().encode() + b" " + payload


@pytest.fixture
def parses(monkeypatch):
    """Counts the JSON parses the reader makes."""
    calls = []
    real = json.loads

    class CountingJson:
        @staticmethod
        def loads(data):
            calls.append(len(data))
            return real(data)

    monkeypatch.setattr(sandbox_module, "json", CountingJson)
    return calls


def test_an_honest_record_round_trips(parses):
    record = decode_record(signed(to_json([2, "result", "test_x", "pass", "", "out\u00e9\n"]).encode()), NONCE, CAP)
    assert record == (2, "result", "test_x", "pass", "", "out\u00e9\n")
    assert parses


@pytest.mark.parametrize("value", [
    None, True, 0, -7, 10 ** 30, 1.5, float("inf"), "a\"\\\n\x00b", [1, [2, (3, 4)]], (), {"k": (1,), 2: None},
    {None: [], 1.5: {"x": True}},
])
def test_probe_values_keep_their_exact_types(value):
    record = decode_record(signed(to_json([3, "probe", "test_p", value, ""]).encode()), NONCE, CAP)
    assert record is not None
    got = record[3]
    assert got == value and type(got) is type(value)
    if isinstance(value, dict):
        assert [type(v) for v in got.values()] == [type(v) for v in value.values()]


def test_an_oversized_line_is_refused_before_it_is_parsed(parses):
    huge = signed(b'[1,"load","ok","",' + b"0," * CAP + b'""]')
    assert decode_record(huge, NONCE, CAP) is None
    reader = RecordReader(NONCE, CAP, expected_records=3)
    for start in range(0, len(huge), 65536):  # as the pipe delivers it, without a newline yet
        if not reader.feed(huge[start:start + 65536]):
            break
    assert reader.tampered and reader.stopped
    assert parses == []


@pytest.mark.parametrize("payload", [
    b"(0, 'ready')",                         # a Python literal, the old format
    b'{"seq": 0}',                           # not an array
    b'[0,"rigged",1]',                       # an unknown kind
    b'[x,"ready"]',                          # no sequence number
    b'[0,"ready"' + b"," * 1000,              # not closed
])
def test_a_malformed_record_is_refused_before_it_is_parsed(parses, payload):
    assert decode_record(signed(payload), NONCE, CAP) is None
    assert parses == []


@pytest.mark.parametrize("payload", [
    b'[0,"ready",' + b"[" * 5000 + b"]" * 5000 + b"]",     # deep nesting
    b'[1,"load","ok","",[' + b"0," * 100000 + b'0]]',     # a field that is not text
    b'[1,"probe","test_p",' + b'{"tuple":' * 40 + b"1" + b"}" * 40 + b',""]',  # a value too deep
])
def test_a_record_of_the_wrong_shape_is_refused_after_a_bounded_parse(payload):
    assert len(payload) < CAP
    assert decode_record(signed(payload), NONCE, CAP) is None


def test_records_with_a_wrong_mac_or_out_of_order_stop_the_reading():
    reader = RecordReader(NONCE, CAP, expected_records=3)
    assert reader.feed(signed(b'[0,"ready"]') + b"\n")
    assert not reader.feed(signed(b'[5,"load","ok","",""]') + b"\n")
    assert reader.tampered
    forged = RecordReader(NONCE, CAP, expected_records=3)
    assert not forged.feed(signed(b'[0,"ready"]', nonce=b"m" * 32) + b"\n")
    assert forged.tampered and not forged.started


def test_more_records_than_the_tests_can_produce_are_refused():
    """One record per expected item, plus "ready", "done" and at most MAX_SUBRESULTS subTest results."""
    reader = RecordReader(NONCE, CAP, expected_records=1)
    allowed = 1 + 2 + MAX_SUBRESULTS
    lines = [b'[0,"ready"]', b'[1,"load","ok","",""]'] + [
        b'[%d,"result","t","pass","",""]' % seq for seq in range(2, allowed)]
    assert all(reader.feed(signed(line) + b"\n") for line in lines)
    assert not reader.feed(signed(b'[%d,"result","t","pass","",""]' % allowed) + b"\n")
    assert reader.tampered




@pytest.mark.parametrize("name", HOSTILE_RECORDS)
def test_a_rigged_record_from_the_runner_itself_is_refused(grader, name):
    report = grader.grade(HOSTILE_RECORDS[name], VARIABLES_TESTS)
    assert report.status == "error"
    assert "could not verify" in report.message
    assert all(t.status != "pass" for t in report.tests)


SERVER_MEMORY_PROBE = r"""
import json, resource, sys
from services.grader import Grader, Limits
from tests.grader.hostile_records import HOSTILE_RECORDS
from tests.grader.seed_example import CORRECT_SOLUTION, VARIABLES_TESTS
grader = Grader(limits=Limits(cpu_seconds=2, wall_seconds=10))
assert grader.grade(CORRECT_SOLUTION, VARIABLES_TESTS).passed
baseline = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
statuses = [grader.grade(code, VARIABLES_TESTS).status for code in HOSTILE_RECORDS.values()]
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print(json.dumps({"grown_kb": peak - baseline, "statuses": statuses}))
"""


def test_the_servers_peak_memory_stays_within_64_mb_of_its_baseline():
    """Measured in a fresh process (a peak RSS cannot be reset): the old literal parser took ~800 MB."""
    completed = subprocess.run([sys.executable, "-c", SERVER_MEMORY_PROBE], cwd=PROJECT, capture_output=True,
                               text=True, timeout=120, check=False,
                               env={**os.environ, "PYTHONPATH": os.pathsep.join(
                                   [str(PROJECT), *filter(None, [os.environ.get("PYTHONPATH")])])})
    assert completed.returncode == 0, completed.stderr[-3000:]
    result = json.loads(completed.stdout.strip().splitlines()[-1])
    assert result["statuses"] == ["error"] * len(HOSTILE_RECORDS)
    assert result["grown_kb"] < 64 * 1024, result


def test_a_probe_value_too_large_to_report_is_an_error_not_a_refusal(grader):
    report = grader.grade("def big():\n    return 'x' * 200_000\n", [Probe("test_big", "big()", "x")])
    assert report.tests[0].status == "error"
    assert report.tests[0].message == "The value is too large to report."
