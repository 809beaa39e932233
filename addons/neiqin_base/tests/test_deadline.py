from odoo import Command
from odoo.tests import tagged

from ..engine.deadline import DeadlinePlanner, add_working_hours, working_hours_between
from .common import NeiqinCase


@tagged("post_install", "-at_install")
class TestDeadline(NeiqinCase):
    # 2026-11-20 is a Friday.

    def test_hours_within_one_day(self):
        self.assertEqual(
            add_working_hours(self.calendar, self.dt("2026-11-18 09:30"), 2),
            self.dt("2026-11-18 11:30"),
        )

    def test_lunch_break_does_not_count(self):
        self.assertEqual(
            add_working_hours(self.calendar, self.dt("2026-11-18 11:00"), 2),
            self.dt("2026-11-18 14:00"),
        )

    def test_deadline_crosses_the_night(self):
        self.assertEqual(
            add_working_hours(self.calendar, self.dt("2026-11-18 17:00"), 3),
            self.dt("2026-11-19 11:00"),
        )

    def test_deadline_crosses_the_weekend(self):
        self.assertEqual(
            add_working_hours(self.calendar, self.dt("2026-11-20 16:00"), 4),
            self.dt("2026-11-23 11:00"),
        )

    def test_start_outside_working_time_counts_from_next_morning(self):
        self.assertEqual(
            add_working_hours(self.calendar, self.dt("2026-11-21 10:00"), 1),
            self.dt("2026-11-23 10:00"),
        )

    def test_calendar_leave_is_skipped(self):
        self.calendar.write(
            {
                "leave_ids": [
                    Command.create(
                        {
                            "name": "Holiday",
                            "date_from": self.dt("2026-11-23 00:00"),
                            "date_to": self.dt("2026-11-23 23:59:59"),
                        }
                    )
                ]
            }
        )
        self.assertEqual(
            add_working_hours(self.calendar, self.dt("2026-11-20 16:00"), 4),
            self.dt("2026-11-24 11:00"),
        )

    def test_without_calendar_hours_are_clock_hours(self):
        self.assertEqual(
            add_working_hours(None, self.dt("2026-11-21 22:00"), 4), self.dt("2026-11-22 02:00")
        )

    def test_working_hours_between_skips_night_and_weekend(self):
        self.assertAlmostEqual(
            working_hours_between(
                self.calendar, self.dt("2026-11-20 17:00"), self.dt("2026-11-23 10:00")
            ),
            2.0,
        )
        self.assertEqual(
            working_hours_between(
                self.calendar, self.dt("2026-11-23 10:00"), self.dt("2026-11-20 10:00")
            ),
            0.0,
        )

    def test_planner_answers_each_question_once(self):
        planner = DeadlinePlanner()
        start = self.dt("2026-11-18 09:00")
        first = planner.add(self.calendar, start, 3)
        with self.assertQueryCount(0):
            self.assertEqual(planner.add(self.calendar, start, 3), first)
