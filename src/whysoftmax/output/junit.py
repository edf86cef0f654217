"""JUnit XML, so that a user's CI shows each derivation step as a test case."""

from __future__ import annotations

import xml.etree.ElementTree as ET

from ..atomic import write_atomically
from ..engine.results import DerivationResult
from ..kernel.verdict import Kind
from ..loader import LoadError


def junit_xml(
    outcomes: list[DerivationResult], errors: list[LoadError], *, strict: bool = False
) -> bytes:
    """The results as a JUnit XML document: a test suite per derivation, a case per step.

    A failed step is a ``<failure>`` with its counterexample; under ``strict`` a step that
    is only ``argued`` or ``checked`` is a failure too. A file that could not be loaded is
    an ``<error>``. Every case carries its status as a property.
    """
    root = ET.Element("testsuites", name="whysoftmax")
    total = failures = 0
    for outcome in outcomes:
        suite = ET.SubElement(
            root, "testsuite", name=outcome.id, time=f"{outcome.seconds:.3f}",
            tests=str(len(outcome.results)),
        )
        bad = 0
        for r in outcome.results:
            case = ET.SubElement(
                suite, "testcase", classname=f"whysoftmax.{outcome.id}", name=r.name,
                time=f"{r.seconds:.3f}",
            )
            props = ET.SubElement(case, "properties")
            ET.SubElement(props, "property", name="status", value=str(r.status))
            ET.SubElement(props, "property", name="method", value=r.method)
            if r.status.kind is Kind.FAILED:
                bad += 1
                failure = ET.SubElement(case, "failure", message=f"{r.name}: failed")
                failure.text = r.detail
            elif strict and r.status.kind in (Kind.ARGUED, Kind.CHECKED):
                bad += 1
                failure = ET.SubElement(case, "failure",
                                        message=f"{r.name}: only {r.status.label}")
                failure.text = f"{r.method}; {r.detail}"
            ET.SubElement(case, "system-out").text = f"{r.status}; {r.method}; {r.detail}"
        suite.set("failures", str(bad))
        total += len(outcome.results)
        failures += bad
    if errors:
        suite = ET.SubElement(root, "testsuite", name="loading", tests=str(len(errors)))
        suite.set("errors", str(len(errors)))
        for e in errors:
            case = ET.SubElement(suite, "testcase", classname="whysoftmax.loading", name=e.path)
            ET.SubElement(case, "error", message=e.message).text = str(e)
    root.set("tests", str(total + len(errors)))
    root.set("failures", str(failures))
    root.set("errors", str(len(errors)))
    ET.indent(root)
    return ET.tostring(root, encoding="utf-8", xml_declaration=True)


def write_junit(path: str, outcomes, errors, *, strict: bool = False) -> None:
    """Write :func:`junit_xml` to ``path`` atomically."""
    write_atomically(path, junit_xml(outcomes, errors, strict=strict))
