"""Templating: `${name}` substitution, escapes, unknown names, dataclasses, and name discovery."""
from __future__ import annotations

import pytest

from conformance.cases.definitions import Expectation, XPathCheck
from conformance.cases.templating import TemplateError, referenced_names, render, render_text

VARIABLES = {"job_id": "ABCDE", "bucket.log": "logs", "primary.access_key_id": "AKID"}


def test_braced_and_dotted_names_are_substituted():
    assert render_text("${job_id}/${bucket.log}", VARIABLES) == "ABCDE/logs"


def test_lone_dollar_stays_and_double_dollar_escapes():
    assert render_text("cost $5, $job_id, $${job_id}", VARIABLES) == "cost $5, $job_id, ${job_id}"


def test_unknown_name_raises_and_lists_known_names():
    with pytest.raises(TemplateError, match=r"\$\{job\}.*known: bucket.log, job_id"):
        render_text("${job}", VARIABLES)


def test_render_walks_containers_and_dataclasses():
    expectation = Expectation(code=("${job_id}",), xpath=(XPathCheck("//ie:JobId", "equals", "${job_id}"),))
    rendered = render({"a": ["${job_id}", ("${bucket.log}", 3)], "e": expectation}, VARIABLES)
    assert rendered["a"] == ["ABCDE", ("logs", 3)]
    assert rendered["e"].code == ("ABCDE",) and rendered["e"].xpath[0].value == "ABCDE"


def test_referenced_names_finds_every_reference_but_not_escapes():
    assert referenced_names("${a} and ${b.c}, $${d}, $e") == {"a", "b.c"}
