"""The CLI's terminal views of profiles and data assets, from profiles the engine computed."""

from pathlib import Path

from modelyard.cli._profile_view import print_profile


def test_most_frequent_values_shows_up_to_twenty(tmp_path: Path, capsys):
    from modelyard import data as engine
    from modelyard.spec.data import ParseSettings

    table = tmp_path / "cities.csv"
    # city_00 is the most frequent value, city_24 the least; 25 distinct values in all
    table.write_text("city\n" + "".join(f"city_{i:02d}\n" * (30 - i) for i in range(25)))
    _, profile = engine.inspect_source(engine.TabularSource((str(table),), ParseSettings()), [])
    print_profile(profile)
    section = capsys.readouterr().out.split("most frequent values")[1]
    shown = [f"city_{i:02d}" for i in range(25) if f"city_{i:02d}" in section]
    assert shown == [f"city_{i:02d}" for i in range(20)]
