"""End-to-end tests of the survey form, driven through a real headless Chromium.

Run them with scripts/browser-tests.sh, which builds a demo database, starts `lodestar serve`
on a free port and sets:

  LODESTAR_BASE_URL   the server, e.g. http://127.0.0.1:8123
  LODESTAR_BIN        the lodestar binary, to read the stored results back
  LODESTAR_DB         the database the server uses
  LODESTAR_ARTIFACTS  the folder for screenshots (default test-artifacts/browser)
  CHROMIUM_BIN, CHROMEDRIVER_BIN   optional, default /usr/bin/chromium and /usr/bin/chromedriver

Each test starts its own browser session: the server sets a cookie that refuses a second
answer per month from the same browser.
"""

import base64
import datetime
import json
import os
import struct
import subprocess
import unittest
from pathlib import Path

from selenium import webdriver
from selenium.common.exceptions import NoAlertPresentException, UnexpectedAlertPresentException, WebDriverException
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import Select, WebDriverWait

DESKTOP = (1280, 900)
MOBILE = (390, 844)
WAIT_SECONDS = 15
SURVEY_TITLE = "Platform pulse"
REQUIRED_TEXTS = ("best", "worst", "change")

# Answers that must stay text: markup (including a way out of the <textarea> the form echoes
# answers into), right-to-left scripts, and one 300-character word.
MARKUP = '<script>alert(1)</script> <b>bold</b> "><img src=x onerror=alert(2)> </textarea><script>alert(3)</script>'
RIGHT_TO_LEFT = "المنصة سريعة جدا — הפלטפורמה מהירה מאוד"
LONG_WORD = "supercalifragilistic" * 15  # 300 characters, no space to break at


def setUpModule():
    missing = [name for name in ("LODESTAR_BASE_URL", "LODESTAR_BIN", "LODESTAR_DB") if not os.environ.get(name)]
    if missing:
        raise RuntimeError(f"{', '.join(missing)} not set: run these tests with scripts/browser-tests.sh")


def base_url():
    return os.environ["LODESTAR_BASE_URL"].rstrip("/")


def artifacts_dir():
    folder = Path(os.environ.get("LODESTAR_ARTIFACTS") or "test-artifacts/browser")
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def current_month():
    return datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m")


def results(month, by_team=False):
    """The month's results as `lodestar survey results --format json` prints them."""
    command = [os.environ["LODESTAR_BIN"], "survey", "results", "--db", os.environ["LODESTAR_DB"],
               "--month", month, "--format", "json"]
    if by_team:
        command += ["--by", "team"]
    done = subprocess.run(command, capture_output=True, text=True, timeout=30)
    if done.returncode != 0:
        raise AssertionError(f"{' '.join(command)} failed ({done.returncode}): {done.stderr.strip()}")
    return json.loads(done.stdout)


def response_count(month):
    return results(month)["responses"]


def png_size(path):
    """(width, height) from a PNG file's header; fails if the file is not a PNG."""
    data = Path(path).read_bytes()
    if len(data) < 24 or data[:8] != b"\x89PNG\r\n\x1a\n" or data[12:16] != b"IHDR":
        raise AssertionError(f"{path} is not a PNG file ({len(data)} bytes)")
    return struct.unpack(">II", data[16:24])


class SurveyFormTestCase(unittest.TestCase):
    """Starts a fresh headless Chromium for each test, at the size the test asks for."""

    window = DESKTOP
    mobile = False

    def setUp(self):
        options = webdriver.ChromeOptions()
        options.binary_location = os.environ.get("CHROMIUM_BIN", "/usr/bin/chromium")
        for argument in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--lang=en-US",
                         f"--window-size={self.window[0]},{self.window[1]}"):
            options.add_argument(argument)
        # Leave any alert open, so that assert_no_alert finds it, instead of dismissing it unseen.
        options.unhandled_prompt_behavior = "ignore"
        service = Service(executable_path=os.environ.get("CHROMEDRIVER_BIN", "/usr/bin/chromedriver"))
        self.driver = webdriver.Chrome(options=options, service=service)
        self.driver.set_page_load_timeout(30)
        self.driver.set_window_size(*self.window)
        if self.mobile:
            # A phone's viewport: without `<meta name=viewport>` the page would be laid out 980 px wide.
            self.driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride", {
                "width": self.window[0], "height": self.window[1], "deviceScaleFactor": 1, "mobile": True})
        self.wait = WebDriverWait(self.driver, WAIT_SECONDS)

    def tearDown(self):
        if self.has_failed():
            try:
                self.driver.save_screenshot(str(artifacts_dir() / f"failure-{self._testMethodName}.png"))
            except Exception:  # a failure screenshot is a help, never a second failure
                pass
        self.driver.quit()

    def has_failed(self):
        """Whether this test has failed or errored so far (unittest records it before tearDown)."""
        result = getattr(getattr(self, "_outcome", None), "result", None)
        problems = list(getattr(result, "errors", [])) + list(getattr(result, "failures", []))
        return any(test is self or getattr(test, "test_case", None) is self for test, _ in problems)

    # Steps

    def open_survey(self):
        self.driver.get(base_url() + "/survey")
        heading = self.wait.until(EC.visibility_of_element_located((By.TAG_NAME, "h1")))
        self.assertIn(SURVEY_TITLE, heading.text, "GET /survey did not show the survey form")
        month = self.driver.find_element(By.CSS_SELECTOR, "form input[name=month]").get_attribute("value")
        self.assertEqual(month, current_month(), "the form is not for the current UTC month")
        return month

    def type_answer(self, question, text):
        field = self.driver.find_element(By.ID, question)
        self.assertEqual(field.get_attribute("name"), f"answers.{question}")
        field.clear()
        field.send_keys(text)
        self.assertEqual(field.get_property("value"), text, f"the browser did not take the text typed into {question}")

    def choose_team(self, team):
        Select(self.driver.find_element(By.CSS_SELECTOR, "select[name=team]")).select_by_value(team)

    def choose_rating(self, question, value):
        # Click the label, as a person would; the radio button itself is small.
        self.driver.find_element(By.CSS_SELECTOR, f"label[for='{question}-{value}']").click()
        self.assertTrue(self.driver.find_element(By.ID, f"{question}-{value}").is_selected())

    def submit(self):
        # Mark the page, click, and wait for a page without the mark. (EC.staleness_of races with
        # chromedriver during the navigation: "Node with given id does not belong to the document".)
        self.driver.execute_script("document.documentElement.dataset.sent = 'yes'")
        self.driver.find_element(By.CSS_SELECTOR, "form button[type=submit]").click()

        def new_page(driver):
            try:
                return driver.execute_script(
                    "return document.readyState === 'complete' && !('sent' in document.documentElement.dataset)")
            except UnexpectedAlertPresentException:
                raise  # a script on the new page opened an alert: never wait that away
            except WebDriverException:
                return False  # between the two pages

        self.wait.until(new_page, "no new page after the form was sent")
        self.wait.until(EC.visibility_of_element_located((By.TAG_NAME, "h1")))

    def assert_thanks(self, month):
        self.assertEqual(self.driver.find_element(By.TAG_NAME, "h1").text, "Thank you!")
        body = self.driver.find_element(By.TAG_NAME, "main").text
        self.assertIn(f"Your answer to the {month} survey is stored.", body)
        self.assertTrue(self.driver.title.startswith("Thank you"), self.driver.title)

    def assert_no_alert(self):
        with self.assertRaises(NoAlertPresentException, msg="a script ran and opened an alert"):
            self.driver.switch_to.alert

    def assert_no_horizontal_scroll(self):
        scroll_width, inner_width = self.driver.execute_script(
            "return [document.documentElement.scrollWidth, window.innerWidth]")
        self.assertLessEqual(scroll_width, inner_width + 1, "the page scrolls sideways")

    def full_page_screenshot(self, name):
        """Saves the whole page (not only the viewport) as NAME.png in the artifacts folder.

        Returns the file and the page's size in CSS pixels (width without a scroll bar).
        """
        path = artifacts_dir() / f"{name}.png"
        path.unlink(missing_ok=True)  # never pass on a file left by an earlier run
        size = self.driver.execute_script(
            "const root = document.documentElement; return [root.clientWidth, root.scrollHeight]")
        shot = self.driver.execute_cdp_cmd("Page.captureScreenshot", {"format": "png", "captureBeyondViewport": True})
        path.write_bytes(base64.b64decode(shot["data"]))
        return path, tuple(size)


class DesktopSubmissionTest(SurveyFormTestCase):
    window = DESKTOP

    def test_filled_form_is_stored_and_thanked(self):
        month = current_month()
        before = results(month, by_team=True)
        teams_before = {group["name"]: group["responses"] for group in before["groups"]}
        self.assertIn("payments", teams_before, "the demo data should have a payments group")
        satisfied_before = self.rating_count(month, "satisfaction", "4 Satisfied")

        self.open_survey()
        self.type_answer("best", "The golden path template got my service live in a day.")
        self.type_answer("worst", "Flaky integration tests block merges twice a week.")
        self.type_answer("change", "Let teams rerun one failed job instead of the whole pipeline.")
        self.choose_team("payments")
        self.choose_rating("satisfaction", 4)
        self.submit()

        self.assert_thanks(month)
        after = results(month, by_team=True)
        self.assertEqual(after["responses"], before["responses"] + 1, "not exactly one new response stored")
        teams_after = {group["name"]: group["responses"] for group in after["groups"]}
        self.assertEqual(teams_after["payments"], teams_before["payments"] + 1, "the team chosen was not stored")
        self.assertEqual(self.rating_count(month, "satisfaction", "4 Satisfied"), satisfied_before + 1,
                         "the rating chosen was not stored")

    def test_second_answer_from_the_same_browser_is_refused(self):
        month = self.open_survey()
        for question in REQUIRED_TEXTS:
            self.type_answer(question, f"An answer to {question}.")
        self.submit()
        self.assert_thanks(month)
        count = response_count(month)

        self.driver.get(base_url() + "/survey")
        heading = self.wait.until(EC.visibility_of_element_located((By.TAG_NAME, "h1")))
        self.assertEqual(heading.text, "Already answered")
        self.assertIn(f"This browser has answered the {month} survey already.",
                      self.driver.find_element(By.TAG_NAME, "main").text)
        self.assertEqual(self.driver.find_elements(By.TAG_NAME, "form"), [], "the form is offered again")
        self.assertEqual(response_count(month), count)

    @staticmethod
    def rating_count(month, question, label):
        everyone = next(group for group in results(month)["groups"] if group["name"] == "all teams")
        rating = next(rating for rating in everyone["ratings"] if rating["question"] == question)
        return next(bucket["count"] for bucket in rating["distribution"] if bucket["label"] == label)


class MobileFormTest(SurveyFormTestCase):
    window = MOBILE
    mobile = True

    def test_form_fits_a_phone_without_sideways_scrolling(self):
        self.open_survey()
        self.assertEqual(self.driver.execute_script("return window.innerWidth"), MOBILE[0],
                         "the page is not laid out at the phone's width")
        self.assert_no_horizontal_scroll()

    def test_every_input_has_a_visible_label(self):
        self.open_survey()
        inputs = self.driver.find_elements(
            By.CSS_SELECTOR, "form input:not([type=hidden]), form select, form textarea")
        self.assertGreaterEqual(len(inputs), 1 + len(REQUIRED_TEXTS) + 5 + 5 + 1,
                                "fewer fields than the team, three texts, two 1–5 ratings and a percent")
        inner_width = self.driver.execute_script("return window.innerWidth")
        for field in inputs:
            field_id = field.get_attribute("id")
            with self.subTest(field=field_id or field.get_attribute("name")):
                self.assertTrue(field_id, "a field without an id cannot have a <label for>")
                labels = self.driver.find_elements(By.CSS_SELECTOR, f"label[for='{field_id}']")
                self.assertEqual(len(labels), 1, "needs exactly one <label for=…>")
                label = labels[0]
                self.assertTrue(label.is_displayed(), "the label is hidden")
                self.assertTrue(label.text.strip(), "the label has no text")
                left, right = self.driver.execute_script(
                    "const r = arguments[0].getBoundingClientRect(); return [r.left, r.right]", label)
                self.assertGreaterEqual(left, 0, "the label starts off screen")
                self.assertLessEqual(right, inner_width + 1, "the label runs off screen")

    def test_missing_required_answer_shows_the_form_again_with_an_error(self):
        month = self.open_survey()
        before = response_count(month)
        best = "Self-service databases, no ticket needed."
        change = "A status page for the CI runners."
        self.type_answer("best", best)
        self.type_answer("change", change)  # "worst" stays empty
        self.choose_team("search")
        self.choose_rating("easeOfShipping", 2)
        self.submit()

        heading = self.driver.find_element(By.TAG_NAME, "h1")
        self.assertIn(SURVEY_TITLE, heading.text, "the form was not shown again")
        problems = self.driver.find_element(By.CSS_SELECTOR, ".problems[role=alert]")
        self.assertTrue(problems.is_displayed(), "no summary of the problems at the top")
        # The error sits in the same field block as the empty textarea, and the textarea points at it.
        worst = self.driver.find_element(By.ID, "worst")
        error = self.driver.find_element(By.ID, "worst-error")
        self.assertTrue(error.is_displayed())
        self.assertTrue(error.text.strip(), "the error says nothing")
        self.assertEqual(error.find_element(By.XPATH, ".."), worst.find_element(By.XPATH, ".."),
                         "the error is not next to its field")
        self.assertEqual(worst.get_attribute("aria-invalid"), "true")
        self.assertIn("worst-error", worst.get_attribute("aria-describedby").split())
        self.assertEqual(self.driver.find_elements(By.CSS_SELECTOR, "#best-error, #change-error"), [],
                         "an error on a field that was filled in")
        # What was typed and chosen is still there.
        self.assertEqual(self.driver.find_element(By.ID, "best").get_property("value"), best)
        self.assertEqual(self.driver.find_element(By.ID, "change").get_property("value"), change)
        self.assertEqual(worst.get_property("value"), "")
        self.assertEqual(Select(self.driver.find_element(By.ID, "team")).first_selected_option.get_attribute("value"),
                         "search")
        self.assertTrue(self.driver.find_element(By.ID, "easeOfShipping-2").is_selected())
        self.assert_no_horizontal_scroll()
        self.assertEqual(response_count(month), before, "an incomplete answer was stored")

        # Filling in the missing answer is enough to send it.
        self.type_answer("worst", "Waiting for the shared staging environment.")
        self.submit()
        self.assert_thanks(month)
        self.assertEqual(response_count(month), before + 1)


class HostileTextTest(SurveyFormTestCase):
    window = DESKTOP

    def test_markup_right_to_left_and_long_word_are_stored_as_text(self):
        month = self.open_survey()
        before = response_count(month)
        self.type_answer("best", MARKUP)
        self.type_answer("worst", RIGHT_TO_LEFT)
        self.type_answer("change", LONG_WORD)
        self.submit()

        self.assert_no_alert()
        self.assert_thanks(month)
        stored = results(month)
        self.assertEqual(stored["responses"], before + 1)
        everyone = next(group for group in stored["groups"] if group["name"] == "all teams")
        texts = {answers["question"]: answers["texts"] for answers in everyone["answers"]}
        self.assertIn(MARKUP, texts["best"], "the markup was not stored verbatim")
        self.assertIn(RIGHT_TO_LEFT, texts["worst"], "the right-to-left text was not stored verbatim")
        self.assertIn(LONG_WORD, texts["change"], "the long word was not stored verbatim")


class HostileTextEchoTest(SurveyFormTestCase):
    window = MOBILE
    mobile = True

    def test_markup_echoed_back_after_an_error_stays_text(self):
        month = self.open_survey()
        before = response_count(month)
        self.type_answer("best", MARKUP)
        self.type_answer("change", LONG_WORD + " " + RIGHT_TO_LEFT)  # "worst" stays empty
        self.submit()

        self.assert_no_alert()
        self.assertTrue(self.driver.find_element(By.ID, "worst-error").is_displayed())
        # Nothing typed became an element: the page itself has no script, bold or image at all.
        injected = self.driver.execute_script(
            "return document.querySelectorAll('script, b, img, [onerror]').length")
        self.assertEqual(injected, 0, "typed markup turned into elements")
        self.assertEqual(len(self.driver.find_elements(By.TAG_NAME, "textarea")), len(REQUIRED_TEXTS),
                         "the typed </textarea> closed a field early")
        self.assertEqual(self.driver.find_element(By.ID, "best").get_property("value"), MARKUP)
        self.assertEqual(self.driver.find_element(By.ID, "change").get_property("value"),
                         LONG_WORD + " " + RIGHT_TO_LEFT)
        self.assert_no_horizontal_scroll()  # the 300-character word does not widen the page
        self.assertEqual(response_count(month), before)


class ScreenshotTestCase(SurveyFormTestCase):
    """Full-page screenshots of the form and the thank-you page, for people to look at."""

    def check_full_page_screenshots(self, label):
        month = self.open_survey()
        survey = self.full_page_screenshot(f"survey-{label}")
        for question in REQUIRED_TEXTS:
            self.type_answer(question, f"Screenshot answer to {question}.")
        self.submit()
        self.assert_thanks(month)
        thanks = self.full_page_screenshot(f"thanks-{label}")

        for path, (page_width, page_height) in (survey, thanks):
            self.assertTrue(path.is_file(), f"{path} was not written")
            self.assertGreater(path.stat().st_size, 1000, f"{path} is nearly empty")
            width, height = png_size(path)
            self.assertEqual(width, page_width, f"{path} is not as wide as the page")
            self.assertGreaterEqual(height, page_height, f"{path} is not the whole page")
        # The form is longer than one screen, so a whole-page screenshot is taller than the window.
        self.assertGreater(png_size(survey[0])[1], self.window[1], "the form screenshot is only the viewport")


class DesktopScreenshotTest(ScreenshotTestCase):
    window = DESKTOP

    def test_full_page_screenshots_at_desktop_width(self):
        self.check_full_page_screenshots("desktop")


class PhoneScreenshotTest(ScreenshotTestCase):
    window = MOBILE
    mobile = True

    def test_full_page_screenshots_at_390_px(self):
        self.check_full_page_screenshots("390")


if __name__ == "__main__":
    unittest.main(verbosity=2)
