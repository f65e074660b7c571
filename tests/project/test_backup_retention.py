"""scripts/prune-backups keeps the newest backup of each of the last N days and M weeks
and deletes the other backups, and nothing else."""

import datetime
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def prune(folder: Path, *args: str) -> subprocess.CompletedProcess:
    result = subprocess.run(  # noqa: S603
        [str(ROOT / "scripts" / "prune-backups"), *args, str(folder)],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    return result


def dump(folder: Path, time: datetime.datetime) -> str:
    name = f"newsarchive-{time:%Y%m%d-%H%M%S}.dump"
    (folder / name).write_bytes(b"PGDMP")
    return name


def test_keeps_the_newest_of_each_of_the_last_days_and_weeks(tmp_path):
    # Two backups a day, at 03:00 and 15:00, for 60 days up to Sunday 30 November 2025.
    last = datetime.datetime(2025, 11, 30, 15, 0, 0)
    for day in range(60):
        for hour in (0, 12):
            dump(tmp_path, last - datetime.timedelta(days=day, hours=hour))
    others = ["notes.txt", "newsarchive-latest.dump", "newsarchive-20251130-150000.dump.partial"]
    for name in others:
        (tmp_path / name).write_text("not a backup")

    result = prune(tmp_path, "--daily", "7", "--weekly", "4")

    daily = [f"newsarchive-202511{day:02}-150000.dump" for day in range(24, 31)]
    # Sundays end ISO weeks: the newest of each of the 4 last weeks (this one's is daily).
    weekly = [f"newsarchive-202511{day:02}-150000.dump" for day in (9, 16, 23, 30)]
    assert sorted(path.name for path in tmp_path.iterdir()) == sorted({*daily, *weekly, *others})
    assert "Deleted 110 backup(s), kept 10" in result.stdout


def test_a_dry_run_deletes_nothing(tmp_path):
    first = datetime.datetime(2025, 1, 1, 3)
    names = [dump(tmp_path, first + datetime.timedelta(days=day)) for day in range(10)]
    result = prune(tmp_path, "--daily", "2", "--weekly", "0", "--dry-run")
    assert sorted(path.name for path in tmp_path.iterdir()) == sorted(names)
    assert "Would delete 8 backup(s), kept 2" in result.stdout


def test_the_newest_backup_is_kept_however_old(tmp_path):
    only = dump(tmp_path, datetime.datetime(2020, 5, 1, 3))
    prune(tmp_path, "--daily", "1", "--weekly", "0")
    assert [path.name for path in tmp_path.iterdir()] == [only]


def test_keeping_no_daily_backup_is_refused(tmp_path):
    dump(tmp_path, datetime.datetime(2025, 1, 1, 3))
    result = subprocess.run(  # noqa: S603
        [str(ROOT / "scripts" / "prune-backups"), "--daily", "0", str(tmp_path)],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 2
    assert "keep at least one daily backup" in result.stderr
    assert len(list(tmp_path.iterdir())) == 1
