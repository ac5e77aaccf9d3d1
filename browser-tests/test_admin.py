"""End-to-end tests of the lead's pages at /admin in a real headless Chromium.

Run with scripts/browser-tests.sh, which starts the server with LODESTAR_ADMIN_TOKEN set: sign in, open a round and
create its invitation links, curate and merge an epic, publish the report and follow what changed, at desktop width
and at 390 px, keyboard only where a lead could be.
"""

import datetime
import os
import unittest
import urllib.request
from xml.etree import ElementTree

from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import Select

from test_survey_form import DESKTOP, MOBILE, SurveyFormTestCase, base_url, current_month, png_size

PAGES = ("rounds", "results", "epics", "delivery", "report", "audit")


def admin_token():
    token = os.environ.get("LODESTAR_ADMIN_TOKEN")
    if not token:
        raise RuntimeError("LODESTAR_ADMIN_TOKEN not set: run these tests with scripts/browser-tests.sh")
    return token


def a_year_ago():
    """A month the demo never opened, and older than the open one, so /survey keeps showing the current round."""
    today = datetime.datetime.now(datetime.timezone.utc)
    return f"{today.year - 1}-{today.month:02d}"


class AdminTestCase(SurveyFormTestCase):
    def sign_in(self):
        """Signs in with the keyboard only: the token typed into its field, then Enter."""
        self.driver.get(base_url() + "/admin")
        field = self.wait.until(EC.visibility_of_element_located((By.ID, "token")))
        field.send_keys(admin_token())
        self.mark_page()
        field.send_keys(Keys.ENTER)
        self.wait_for_new_page()
        self.assertEqual(self.driver.find_element(By.TAG_NAME, "h1").text, "Rounds")
        cookie = self.driver.get_cookie("lodestar_admin")
        self.assertIsNotNone(cookie, "no session cookie after signing in")
        self.assertTrue(cookie["httpOnly"], "the session cookie is readable by scripts")
        self.assertEqual(cookie.get("sameSite"), "Strict")

    def mark_page(self):
        self.driver.execute_script("document.documentElement.dataset.sent = 'yes'")

    def wait_for_new_page(self):
        self.wait.until(lambda driver: driver.execute_script(
            "return document.readyState === 'complete' && !('sent' in document.documentElement.dataset)"))
        self.wait.until(EC.visibility_of_element_located((By.TAG_NAME, "h1")))

    def press(self, form, button_text=None):
        """Submits `form` by its button, as a click would, and waits for the next page."""
        buttons = form.find_elements(By.CSS_SELECTOR, "button[type=submit]")
        button = next(b for b in buttons if button_text is None or b.text == button_text)
        self.mark_page()
        button.click()
        self.wait_for_new_page()

    def notice(self):
        return self.driver.find_element(By.CSS_SELECTOR, "p.notice").text

    def form(self, action, index=0):
        return self.driver.find_elements(By.CSS_SELECTOR, f"form[action='{action}']")[index]


class DesktopAdminTest(AdminTestCase):
    window = DESKTOP

    def test_a_lead_runs_the_month_from_the_pages(self):
        self.sign_in()
        self.full_page_screenshot("admin-rounds-desktop")

        # Open an earlier month's round by invitation and create two links.
        month = a_year_ago()
        opening = self.form("/admin/rounds/open")
        month_field = opening.find_element(By.NAME, "month")
        month_field.clear()
        month_field.send_keys(month)
        Select(opening.find_element(By.NAME, "mode")).select_by_value("invite")
        self.press(opening)
        self.assertIn(f"Opened platform-pulse for {month}", self.notice())
        invite = next(f for f in self.driver.find_elements(By.CSS_SELECTOR, "form[action='/admin/rounds/invite']")
                      if f.find_element(By.NAME, "month").get_attribute("value") == month)
        count = invite.find_element(By.NAME, "count")
        count.clear()
        count.send_keys("2")
        self.press(invite)
        links = self.driver.find_element(By.ID, "invitation-links").get_property("value").split("\n")
        self.assertEqual(len(links), 2)
        self.assertTrue(all(link.startswith(base_url() + "/survey?token=") for link in links), links)

        # Curate the first epic: its status, owner and a note with markup, which stays text.
        self.driver.get(base_url() + "/admin/epics")
        self.wait.until(EC.visibility_of_element_located((By.CSS_SELECTOR, "article.epic")))
        first = self.form("/admin/epics/update")
        epic_id = first.find_element(By.NAME, "id").get_attribute("value")
        Select(first.find_element(By.NAME, "status")).select_by_value("planned")
        first.find_element(By.NAME, "owner").send_keys("platform team")
        first.find_element(By.NAME, "note").send_keys("<b>on the roadmap</b>")
        self.press(first)
        self.assertIn(f"Saved epic #{epic_id}", self.notice())
        card = self.driver.find_element(By.ID, f"epic-{epic_id}")
        self.assertIn("planned", card.find_element(By.TAG_NAME, "h2").text)
        self.assertEqual(card.find_element(By.NAME, "note").get_property("value"), "<b>on the roadmap</b>")
        self.assert_no_alert()

        # Merge the second epic into the first.
        merge = card.find_element(By.CSS_SELECTOR, "form[action='/admin/epics/merge']")
        chosen = Select(merge.find_element(By.NAME, "from")).first_selected_option.get_attribute("value")
        self.press(merge)
        self.assertIn(f"Merged #{chosen} into #{epic_id}", self.notice())
        self.assertEqual(self.driver.find_elements(By.ID, f"epic-{chosen}"), [])
        self.full_page_screenshot("admin-epics-desktop")

        # Publish this month's report and open it from the list.
        self.driver.get(base_url() + "/admin/report")
        publish = self.wait.until(EC.visibility_of_element_located((By.CSS_SELECTOR, "form[action='/admin/report/publish']")))
        Select(publish.find_element(By.NAME, "month")).select_by_value(current_month())
        self.press(publish)
        self.assertIn(f"Published {current_month()}", self.notice())
        self.full_page_screenshot("admin-report-desktop")
        self.driver.find_element(By.CSS_SELECTOR, f"a[href='/reports/{current_month()}/']").click()
        heading = self.wait.until(EC.visibility_of_element_located((By.TAG_NAME, "h1")))
        self.assertTrue(heading.text.startswith("Platform report"), heading.text)

        # A developer follows what happened: from the home page to "You said → we did", then its Atom feed.
        self.driver.get(base_url() + "/")
        self.driver.find_element(By.CSS_SELECTOR, "a[href='/changes']").click()
        self.wait.until(EC.visibility_of_element_located((By.CSS_SELECTOR, "ol.changes")))
        entry = self.driver.find_element(By.ID, f"epic-{epic_id}")
        self.assertIn("Planned", entry.text)
        title = entry.find_element(By.CSS_SELECTOR, "h2 span[dir=auto]").text
        self.assertTrue(title, "the moved epic is listed without its title")
        self.assert_no_horizontal_scroll()
        self.full_page_screenshot("changes-desktop")
        feed_link = self.driver.find_element(By.CSS_SELECTOR, "link[rel=alternate][type='application/atom+xml']")
        feed_url = feed_link.get_attribute("href")
        with urllib.request.urlopen(feed_url, timeout=10) as response:
            self.assertTrue(response.headers["Content-Type"].startswith("application/atom+xml"))
            feed = ElementTree.fromstring(response.read())
        atom = "{http://www.w3.org/2005/Atom}"
        entries = feed.findall(f"{atom}entry")
        self.assertTrue(any(e.findtext(f"{atom}title", "").find(title) >= 0 for e in entries), f"{title!r} is not in the feed")

        # Every action is in the audit log, newest first.
        self.driver.get(base_url() + "/admin/audit?action=epic.")
        rows = self.driver.find_elements(By.CSS_SELECTOR, "tbody tr")
        self.assertGreaterEqual(len(rows), 2)
        self.assertIn("web:admin", rows[0].text)
        self.full_page_screenshot("admin-audit-desktop")

    def test_the_delivery_page_draws_the_four_keys(self):
        self.sign_in()
        self.driver.get(base_url() + "/admin/delivery?by=team")
        charts = self.driver.find_elements(By.CSS_SELECTOR, ".charts svg[role=img]")
        self.assertEqual(len(charts), 4)
        for chart in charts:
            self.assertGreater(chart.size["width"], 0)
        self.full_page_screenshot("admin-delivery-desktop")

    def test_signing_out_ends_the_session(self):
        self.sign_in()
        self.press(self.form("/admin/sign-out"))
        self.assertEqual(self.driver.find_element(By.TAG_NAME, "h1").text, "Sign in")
        self.driver.get(base_url() + "/admin/epics")
        self.assertEqual(self.driver.find_element(By.TAG_NAME, "h1").text, "Sign in")

    def test_a_wrong_token_is_refused_with_a_message(self):
        self.driver.get(base_url() + "/admin")
        field = self.wait.until(EC.visibility_of_element_located((By.ID, "token")))
        field.send_keys("not-the-token")
        self.mark_page()
        field.send_keys(Keys.ENTER)
        self.wait_for_new_page()
        self.assertIn("not the admin token", self.driver.find_element(By.CSS_SELECTOR, "p.error").text)
        self.assertIsNone(self.driver.get_cookie("lodestar_admin"))


class PhoneAdminTest(AdminTestCase):
    window = MOBILE
    mobile = True

    def test_every_page_fits_a_phone(self):
        self.sign_in()
        for page in PAGES:
            self.driver.get(base_url() + f"/admin/{page}")
            self.wait.until(EC.visibility_of_element_located((By.TAG_NAME, "h1")))
            self.assert_no_horizontal_scroll()
            path, (width, _) = self.full_page_screenshot(f"admin-{page}-390")
            self.assertEqual(png_size(path)[0], width)

    def test_every_field_has_a_visible_label(self):
        self.sign_in()
        for page in ("rounds", "epics", "report", "audit"):
            self.driver.get(base_url() + f"/admin/{page}")
            for field in self.driver.find_elements(By.CSS_SELECTOR, "main input:not([type=hidden]), main select, main textarea"):
                field_id = field.get_attribute("id")
                labels = self.driver.find_elements(By.CSS_SELECTOR, f"label[for='{field_id}']") if field_id else []
                wrapped = self.driver.execute_script("return arguments[0].closest('label') !== null", field)
                self.assertTrue(labels or wrapped, f"{page}: a field without a label ({field.get_attribute('name')})")


if __name__ == "__main__":
    unittest.main()
