from accord.errors import Location, ScenarioError, did_you_mean, one_of


def test_error_is_one_line_with_location() -> None:
    err = ScenarioError("bad value", Location("s.yaml", 3, 7, "actors[1].capability"))
    assert str(err) == "s.yaml:3:7: actors[1].capability: bad value"
    assert "\n" not in str(err)


def test_did_you_mean_and_one_of() -> None:
    assert did_you_mean("salince", ["salience", "ideal"]) == " (did you mean 'salience'?)"
    assert did_you_mean("zzz", ["salience"]) == ""
    assert one_of(["a", "b", "c"]) == "'a', 'b' or 'c'"
