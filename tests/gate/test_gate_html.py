"""index.html as a person sees it, in headless Chromium (Debian's `chromium` and `chromium-driver`,
driven by selenium): the matrix, a failing case's exchange after a click, filters hiding rows, and
markup from a server shown as text, never run. Uses the broken run's report of the gate fixture."""
from __future__ import annotations

import copy
import json
import os
import shutil
from pathlib import Path

import pytest

from conformance.report.html_report import render_index
from conformance.run.collection import load_all_cases

webdriver = pytest.importorskip("selenium.webdriver", reason="selenium is needed to drive headless Chromium")
from selenium.webdriver.chrome.service import Service  # noqa: E402
from selenium.webdriver.common.by import By  # noqa: E402
from selenium.webdriver.support.ui import Select  # noqa: E402

REPO_ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMEDRIVER = shutil.which("chromedriver") or "/usr/bin/chromedriver"
FAILING_CASE = "CancelJob.OtherJobsUnaffected"
PASSING_CASE = "CancelJob.UnknownJobId"
RED, AMBER = "rgba(243, 166, 160, 1)", "rgba(246, 213, 142, 1)"
HOSTILE = "</pre></details><script>window.pwned = 1</script><img src=x onerror=\"window.pwned = 2\">&amp; 'q'"


@pytest.fixture(scope="module")
def browser(tmp_path_factory):
    if not (Path(CHROMIUM).is_file() and Path(CHROMEDRIVER).is_file()):
        pytest.skip("needs Debian's chromium and chromium-driver (apt-get install -y chromium chromium-driver)")
    os.environ["SE_OFFLINE"] = "true"  # selenium must not look for drivers on the network
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in ("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync",
                 f"--user-data-dir={tmp_path_factory.mktemp('chromium-profile')}", "--window-size=1400,1000"):
        options.add_argument(flag)
    driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)
    yield driver
    driver.quit()


@pytest.fixture(scope="module")
def broken_report(gate_runs) -> tuple[Path, dict]:
    report_dir = gate_runs["broken"].report_dir
    return report_dir / "index.html", json.loads((report_dir / "results.json").read_text(encoding="utf-8"))


def _case(driver, case_id: str):
    return driver.find_element(By.CSS_SELECTOR, f'details.case[data-case-id="{case_id}"]')


def test_page_is_self_contained(broken_report):
    page = broken_report[0].read_text(encoding="utf-8")
    assert "<link" not in page and " src=" not in page and "@import" not in page and "url(" not in page


def test_matrix_shows_counts_and_colour(browser, broken_report):
    path, results = broken_report
    browser.get(path.as_uri())
    row = browser.find_element(By.XPATH, '//table[@id="matrix"]//tr[th[@data-operation="CancelJob"]]')
    cells = row.find_elements(By.CSS_SELECTOR, "td.cell[data-category]")
    failing = [cell for cell in cells if {"fail", "mixed"} & set(cell.get_attribute("class").split())]
    assert failing, row.text
    assert int(failing[0].text.split(" / ")[1]) > 0
    assert failing[0].value_of_css_property("background-color") in (RED, AMBER)
    level_table = browser.find_element(By.ID, "scores-by-level").text
    documented = results["run"]["scores_by_level"]["documented"]
    assert f"documented {documented['pass_rate'] * 100:.1f}% {documented['passed']} {documented['failed']}" \
        in level_table.replace("\n", " ")
    assert browser.execute_script("return performance.getEntriesByType('resource').length") == 0


def test_failing_case_shows_its_exchange_after_a_click(browser, broken_report):
    path, results = broken_report
    browser.get(path.as_uri())
    case = _case(browser, FAILING_CASE)
    curl_block = case.find_elements(By.TAG_NAME, "pre")
    assert curl_block and not any(block.is_displayed() for block in curl_block)
    case.find_element(By.TAG_NAME, "summary").click()
    assert case.get_attribute("open") is not None
    shown = case.text
    record = next(r for r in results["cases"] if r["id"] == FAILING_CASE and r["outcome"] == "failed")
    assert record["exchange"]["curl"] in shown
    assert f"HTTP {record['exchange']['response']['status']}" in shown
    assert record["mismatches"][0]["message"] in shown


def test_filters_hide_rows(browser, broken_report):
    path, _ = broken_report
    browser.get(path.as_uri())
    assert _case(browser, PASSING_CASE).is_displayed()
    Select(browser.find_element(By.ID, "filter-outcome")).select_by_visible_text("failed")
    assert not _case(browser, PASSING_CASE).is_displayed()
    assert _case(browser, FAILING_CASE).is_displayed()
    Select(browser.find_element(By.ID, "filter-outcome")).select_by_index(0)
    Select(browser.find_element(By.ID, "filter-level")).select_by_visible_text("inferred")
    levels = {node.get_attribute("data-level") for node in browser.find_elements(By.CSS_SELECTOR, "details.case")
              if node.is_displayed()}
    assert levels == {"inferred"}
    Select(browser.find_element(By.ID, "filter-level")).select_by_index(0)
    browser.find_element(By.ID, "filter-text").send_keys(FAILING_CASE)
    shown = {node.get_attribute("data-case-id") for node in browser.find_elements(By.CSS_SELECTOR, "details.case")
             if node.is_displayed()}
    assert shown == {FAILING_CASE}
    assert browser.find_element(By.ID, "shown").text.startswith("1 of ")


def test_server_markup_is_shown_as_text(browser, broken_report, tmp_path):
    _, results = broken_report
    document = copy.deepcopy(results)
    record = next(r for r in document["cases"] if r["id"] == FAILING_CASE and r["outcome"] == "failed")
    record["exchange"]["response"]["body"] = HOSTILE
    record["steps"] = []
    page = tmp_path / "index.html"
    page.write_text(render_index(document), encoding="utf-8")
    browser.get(page.as_uri())
    case = _case(browser, FAILING_CASE)
    case.find_element(By.TAG_NAME, "summary").click()
    assert browser.execute_script("return window.pwned === undefined")
    assert not browser.find_elements(By.CSS_SELECTOR, "img")
    assert HOSTILE in case.text


def test_matrix_of_every_category_fits_1400_px(browser, broken_report, tmp_path):
    _, results = broken_report
    every = copy.deepcopy(results)
    every["cases"] += [{"id": case.id, "node_id": f"x::{case.id}", "outcome": "passed", "operation": case.operation,
                        "level": case.level, "tags": list(case.tags), "scheme": "sigv4"}
                       for case in load_all_cases(REPO_ROOT)]
    categories = {tag for record in every["cases"] for tag in record["tags"]}
    page = tmp_path / "index.html"
    page.write_text(render_index(every), encoding="utf-8")
    browser.get(page.as_uri())
    columns = browser.find_elements(By.CSS_SELECTOR, "#matrix th.col")
    assert len(columns) >= len(categories) >= 15
    right, page_width = browser.execute_script(
        "return [document.getElementById('matrix').getBoundingClientRect().right, "
        "document.documentElement.clientWidth]")
    assert right <= page_width, (right, page_width)


def test_a_failure_explains_itself(browser, broken_report):
    path, results = broken_report
    browser.get(path.as_uri())
    record = next(r for r in results["cases"] if r["id"] == FAILING_CASE and r["outcome"] == "failed")
    case = _case(browser, FAILING_CASE)
    case.find_element(By.TAG_NAME, "summary").click()
    shown = case.text
    assert f"{record['id']}[{record['scheme']}]" in case.find_element(By.TAG_NAME, "summary").text
    assert f"importexport-conformance '{record['node_id']}'" in shown
    assert record["doc"] in shown and record["references"]
    for reference in record["references"]:
        assert f"{reference['id']} ({reference['kind']}): {reference['text']}" in shown
        assert all(address in shown for address in reference["addresses"])
    expected = record["failed_step_expected"]
    assert expected is not None
    assert f"expected status (of {record['failed_step']})\n{expected['status']}" in shown.replace(" \n", "\n") \
        or f"expected status (of {record['failed_step']}) {expected['status']}" in shown
