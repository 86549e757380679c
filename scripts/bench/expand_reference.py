#!/usr/bin/env python3
"""Reference slot expander (zoneinfo) for `booking-gateway bench booking`.

Same rules as the gateway's SlotExpander, for the subset the benchmark uses: weekly rules (weekdays, local
openings HH:MM-HH:MM, an end at or before the start runs past midnight), fixed slot length with no buffers,
yearly whole-day closures (slots kept and marked closed). Local times resolve with zoneinfo's fold=0: a
non-existent time takes the offset before the gap (moving it forward), a repeated time its first occurrence.
Slots are laid out in elapsed time from the opening's start.

Usage: expand_reference.py --config FILE --from YYYY-MM-DD --to YYYY-MM-DD [--dump-days D1,D2] [--rounds N]
Prints one JSON object: slots, best seconds, slots_per_s, dump (for the dump days: "schedule start-utc closed").
"""
import argparse
import json
import time
from datetime import date, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

WEEKDAYS = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]


def resolve(day, minute_of_day, tz):
    day = day + timedelta(days=minute_of_day // 1440)
    minute_of_day %= 1440
    local = datetime(day.year, day.month, day.day, minute_of_day // 60, minute_of_day % 60, tzinfo=tz, fold=0)
    return local.astimezone(timezone.utc)


def hm(text):
    h, m = text.split(":")
    return int(h) * 60 + int(m)


def expand(schedule, start_day, end_day):
    tz = ZoneInfo(schedule["timeZone"])
    holidays = {(int(h[:2]), int(h[3:])) for h in schedule.get("yearlyClosures", [])}
    out = []
    day = start_day - timedelta(days=1)
    lo = datetime(start_day.year, start_day.month, start_day.day, tzinfo=tz).astimezone(timezone.utc)
    hi = datetime(end_day.year, end_day.month, end_day.day, tzinfo=tz).astimezone(timezone.utc)
    seen = set()
    while day <= end_day:
        for rule in schedule["rules"]:
            if WEEKDAYS[day.weekday()] not in rule["weekdays"]:
                continue
            length = timedelta(minutes=rule["slotMinutes"])
            for opening in rule["openings"]:
                s, e = hm(opening[0]), hm(opening[1])
                if e <= s:
                    e += 1440
                t = resolve(day, s, tz)
                end = resolve(day, e, tz)
                while t + length <= end:
                    if lo <= t < hi and t not in seen:
                        seen.add(t)
                        local_day = t.astimezone(tz).date()
                        closed = any(
                            (d.month, d.day) in holidays
                            for d in {local_day, (t + length - timedelta(microseconds=1)).astimezone(tz).date()}
                        )
                        out.append((t, closed))
                    t += length
        day += timedelta(days=1)
    out.sort()
    return out


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--config", required=True)
    p.add_argument("--from", dest="start", required=True)
    p.add_argument("--to", dest="end", required=True)
    p.add_argument("--dump-days", default="")
    p.add_argument("--rounds", type=int, default=1)
    a = p.parse_args()
    config = json.load(open(a.config))
    start, end = date.fromisoformat(a.start), date.fromisoformat(a.end)
    best = None
    total = 0
    results = {}
    for _ in range(max(1, a.rounds)):
        t0 = time.perf_counter()
        total = 0
        for sch in config["schedules"]:
            results[sch["id"]] = expand(sch, start, end)
            total += len(results[sch["id"]])
        dt = time.perf_counter() - t0
        best = dt if best is None else min(best, dt)
    dump = []
    for d in filter(None, a.dump_days.split(",")):
        day = date.fromisoformat(d)
        for sch in config["schedules"][:3]:
            tz = ZoneInfo(sch["timeZone"])
            for t, closed in results[sch["id"]]:
                if t.astimezone(tz).date() == day:
                    dump.append(f"{sch['id']} {t.strftime('%Y-%m-%dT%H:%M:%SZ')} {'closed' if closed else 'open'}")
    print(json.dumps({"slots": total, "seconds": best, "slots_per_s": total / best if best else 0, "dump": dump}))


if __name__ == "__main__":
    main()
