"""End-to-end tests of the published monthly report in a real headless Chromium.

Run with scripts/browser-tests.sh: the demo publishes its six months of reports into the folder the
server serves at /reports/.
"""

import datetime
import unittest

from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as EC

from test_admin import AdminTestCase
from test_survey_form import DESKTOP, MOBILE, base_url, png_size


def last_month():
    today = datetime.datetime.now(datetime.timezone.utc)
    first = today.replace(day=1)
    return (first - datetime.timedelta(days=1)).strftime("%Y-%m")


class ReportTestCase(AdminTestCase):
    def open_report(self, path):
        self.driver.get(base_url() + path)
        heading = self.wait.until(EC.visibility_of_element_located((By.TAG_NAME, "h1")))
        self.assertTrue(heading.text.startswith("Platform report"), heading.text)

    def assert_charts_drawn(self, minimum):
        """Every chart is an accessible SVG with a title, drawn at a size above zero."""
        charts = self.driver.find_elements(By.CSS_SELECTOR, "svg[role=img]")
        self.assertGreaterEqual(len(charts), minimum)
        titles = []
        for chart in charts:
            size = chart.size
            self.assertGreater(size["width"], 0, "a chart has no width")
            self.assertGreater(size["height"], 0, "a chart has no height")
            title = self.driver.execute_script("return arguments[0].querySelector('title').textContent", chart)
            self.assertTrue(title, "a chart has no <title>")
            titles.append(title)
        return titles


class DesktopReportTest(ReportTestCase):
    window = DESKTOP

    def test_index_links_to_a_report_whose_charts_are_drawn(self):
        self.driver.get(base_url() + "/reports/")
        link = self.wait.until(EC.element_to_be_clickable((By.CSS_SELECTOR, f"a[href='/reports/{last_month()}/']")))
        link.click()
        self.wait.until(EC.visibility_of_element_located((By.CSS_SELECTOR, "section#delivery")))
        titles = self.assert_charts_drawn(minimum=6)
        for metric in ("Lead time for changes", "Deployment frequency", "Change failure rate", "Time to restore service"):
            self.assertIn(f"{metric} by month", titles)
        for section in ("delivery", "developers", "roadmap", "method"):
            self.assertTrue(self.driver.find_element(By.ID, section).is_displayed())
        path, (width, height) = self.full_page_screenshot("report-desktop")
        self.assertEqual(png_size(path), (width, height))

    def test_live_view_renders_the_current_month(self):
        # The live view is the lead's: sign in first (the server has an admin token).
        self.sign_in()
        self.open_report(f"/reports/{datetime.datetime.now(datetime.timezone.utc).strftime('%Y-%m')}/?live=1")
        self.assert_charts_drawn(minimum=5)
        self.assert_no_alert()


class MobileReportTest(ReportTestCase):
    window = MOBILE
    mobile = True

    def test_report_fits_a_phone(self):
        self.open_report(f"/reports/{last_month()}/")
        self.assert_no_horizontal_scroll()
        self.assert_charts_drawn(minimum=6)
        path, (width, height) = self.full_page_screenshot("report-390")
        self.assertEqual(png_size(path)[0], width)
        self.assertGreater(height, 844)


if __name__ == "__main__":
    unittest.main()
