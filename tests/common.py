"""Shared helpers for the cross-module tests (they live outside any add-on)."""


def as_neiqin_test(cls):
    """Give a test class the attributes Odoo sets on add-on test classes."""
    cls.test_module = "neiqin_tests"
    cls.test_class = cls.__name__
    cls.test_sequence = 0
    cls.test_tags = {"standard", "post_install"}
    return cls
