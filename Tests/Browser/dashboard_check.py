#!/usr/bin/env python3
"""Drives the Geolith dashboard in a real headless browser and checks what an operator sees.

Debian's chromium and chromium-driver, driven by selenium (from PyPI, in the test venv; never a runtime
dependency). Run by Tests/GeolithCLITests/DashboardBrowserTests.swift against `geolith demo` on loopback:

    dashboard_check.py --url http://127.0.0.1:PORT/ --token TOKEN --alarm PW1.TT101:H \
        --bad reinjection.temperature --uncertain dle.column.1.dp --user demo-operator --screenshot out.png

Each check prints `ok: …`; the first failure prints `FAIL: …`, saves the screenshot anyway and exits 1.
Every wait has a deadline; nothing sleeps a fixed time to "let things happen".
"""
import argparse
import sys
import time

from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By


class CheckFailed(Exception):
    pass


def wait_for(what, condition, timeout):
    """Polls `condition` (returning a truthy value when satisfied) until `timeout` seconds have passed."""
    deadline = time.monotonic() + timeout
    last_error = None
    while time.monotonic() < deadline:
        try:
            value = condition()
            if value:
                return value
        except Exception as error:  # the page may be re-rendering the element we look at
            last_error = error
        time.sleep(0.1)
    raise CheckFailed(f"{what} within {timeout} s" + (f" (last error: {last_error})" if last_error else ""))


def start_browser(args):
    options = webdriver.ChromeOptions()
    options.binary_location = args.chromium
    for flag in ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                 "--window-size=1680,1050", "--force-device-scale-factor=1", "--lang=en-GB"]:
        options.add_argument(flag)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    # The driver is given explicitly, so Selenium Manager never tries to download one.
    return webdriver.Chrome(service=Service(executable_path=args.chromedriver), options=options)


def console_errors(driver, seen):
    """Browser log entries at level SEVERE (script errors, failed requests), collected into `seen`."""
    for entry in driver.get_log("browser"):
        if entry.get("level") == "SEVERE":
            seen.append(entry.get("message", ""))
    return seen


def value_texts(driver):
    return {e.get_attribute("data-signal"): e.text for e in driver.find_elements(By.CSS_SELECTOR, "#schematic .val")}


def alarm_row(driver, alarm):
    rows = [r for r in driver.find_elements(By.CSS_SELECTOR, "#alarms tr[data-alarm]")
            if r.get_attribute("data-alarm") == alarm]
    return rows[0] if rows else None


def run(driver, args):
    errors = []
    driver.get(args.url)
    wait_for("the page names the plant", lambda: driver.find_element(By.ID, "plant").text not in ("", "Geolith"), 20)
    print(f"ok: page loaded: {driver.find_element(By.ID, 'plant').text}")

    # Live values on the schematic, and they change.
    def numeric_values():
        values = value_texts(driver)
        return values if sum(any(c.isdigit() for c in t) for t in values.values()) >= 10 else None
    first = wait_for("the schematic shows numeric values", numeric_values, 30)
    print(f"ok: schematic shows {len(first)} live values")
    changed = wait_for("a schematic value changes",
                       lambda: [s for s, t in value_texts(driver).items() if first.get(s) != t], 30)
    print(f"ok: values change over time ({len(changed)} changed, e.g. {changed[0]}: {first[changed[0]]!r} → "
          f"{value_texts(driver)[changed[0]]!r})")

    # Bad and uncertain values look different: class, marker and fill, not only colour.
    def marked(signal, cls, marker):
        element = driver.find_element(By.CSS_SELECTOR, f'#schematic .val[data-signal="{signal}"]')
        return element if cls in element.get_attribute("class").split() and marker in element.text else None
    good_box = driver.find_element(By.CSS_SELECTOR, "#schematic .val.good rect").value_of_css_property("fill")
    for signal, cls, marker in [(args.bad, "bad", "✖"), (args.uncertain, "uncertain", "?")]:
        element = wait_for(f"{signal} is marked {cls} ({marker})", lambda: marked(signal, cls, marker), 60)
        fill = element.find_element(By.TAG_NAME, "rect").value_of_css_property("fill")
        if fill == good_box:
            raise CheckFailed(f"{signal} is {cls} but its box is filled like a good one ({fill})")
        print(f"ok: {signal} shown {cls}: {element.text!r}, box fill {fill} (good: {good_box})")

    # The alarm the scenario raises appears, and is acknowledged by clicking.
    def alarm_in(state, text=""):
        row = alarm_row(driver, args.alarm)
        return row if row is not None and row.get_attribute("data-state") == state and text in row.text else None
    row = wait_for(f"alarm {args.alarm} appears unacknowledged", lambda: alarm_in("unacknowledgedActive"), 90)
    print(f"ok: alarm listed: {row.text.splitlines()[0] if row.text else args.alarm}")
    token = driver.find_element(By.ID, "token")
    token.clear()
    row.find_element(By.CSS_SELECTOR, "button[data-ack]").click()
    wait_for("the page asks for the token instead of sending a request without one",
             lambda: "token" in driver.find_element(By.ID, "alarmStatus").text.lower(), 10)
    if alarm_row(driver, args.alarm).get_attribute("data-state") != "unacknowledgedActive":
        raise CheckFailed("the alarm changed state without a token")
    print("ok: acknowledging without a token asks for one")
    token.send_keys(args.token)
    alarm_row(driver, args.alarm).find_element(By.CSS_SELECTOR, "button[data-ack]").click()
    row = wait_for("the alarm shows as acknowledged by the user", lambda: alarm_in("acknowledgedActive", args.user), 20)
    print(f"ok: acknowledged in the page: {' · '.join(row.text.splitlines())}")
    def journal_entry():
        return next((r for r in driver.find_elements(By.CSS_SELECTOR, "#journal tr")
                     if args.alarm in r.text and args.user in r.text and "acknowledged" in r.text), None)
    entry = wait_for("the journal shows the acknowledgement with the user", journal_entry, 20)
    print(f"ok: journal: {' · '.join(entry.text.splitlines())}")

    # A trend is drawn for the selected tag.
    wait_for("the trend draws a line", lambda: driver.find_elements(By.CSS_SELECTOR, "#trend polyline"), 30)
    print("ok: trend drawn")

    console_errors(driver, errors)
    if errors:
        raise CheckFailed("console errors:\n  " + "\n  ".join(errors))
    print("ok: no console errors")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", required=True)
    parser.add_argument("--token", required=True)
    parser.add_argument("--user", required=True)
    parser.add_argument("--alarm", required=True)
    parser.add_argument("--bad", required=True, help="signal whose value the scenario makes bad")
    parser.add_argument("--uncertain", required=True, help="signal whose value the scenario makes uncertain")
    parser.add_argument("--screenshot", required=True)
    parser.add_argument("--chromium", default="/usr/bin/chromium")
    parser.add_argument("--chromedriver", default="/usr/bin/chromedriver")
    args = parser.parse_args()
    driver = start_browser(args)
    status = 0
    try:
        run(driver, args)
    except CheckFailed as failure:
        print(f"FAIL: {failure}")
        status = 1
    finally:
        try:
            # The whole page, not only the first screen.
            height = driver.execute_script("return document.documentElement.scrollHeight")
            driver.set_window_size(1680, max(1050, min(int(height), 4000)))
            driver.save_screenshot(args.screenshot)
            print(f"screenshot: {args.screenshot}")
        finally:
            driver.quit()
    sys.stdout.flush()
    return status


if __name__ == "__main__":
    sys.exit(main())
