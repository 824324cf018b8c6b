import pytest
from django.core.exceptions import ImproperlyConfigured

from cms.env import env_bool, env_choice, env_int, env_list, env_str


@pytest.mark.parametrize(
    "raw, expected", [("false", False), ("0", False), ("off", False), ("True", True), ("1", True)]
)
def test_booleans_mean_what_they_say(monkeypatch, raw, expected):
    monkeypatch.setenv("FLAG", raw)
    assert env_bool("FLAG") is expected


def test_a_malformed_value_is_an_error_not_a_guess(monkeypatch):
    monkeypatch.setenv("FLAG", "maybe")
    monkeypatch.setenv("COUNT", "ten")
    with pytest.raises(ImproperlyConfigured, match="FLAG"):
        env_bool("FLAG")
    with pytest.raises(ImproperlyConfigured, match="COUNT"):
        env_int("COUNT")


def test_defaults_lists_and_required_values(monkeypatch):
    monkeypatch.delenv("UNSET", raising=False)
    monkeypatch.setenv("HOSTS", "a.example, b.example,,")
    assert env_list("HOSTS") == ["a.example", "b.example"]
    assert env_str("UNSET", "fallback") == "fallback"
    with pytest.raises(ImproperlyConfigured, match="UNSET"):
        env_str("UNSET")


def test_a_choice_is_one_of_its_values(monkeypatch):
    monkeypatch.setenv("FORMAT", "JSON")
    assert env_choice("FORMAT", ("json", "console")) == "json"
    monkeypatch.setenv("FORMAT", "xml")
    with pytest.raises(ImproperlyConfigured, match="FORMAT must be one of json, console"):
        env_choice("FORMAT", ("json", "console"))
