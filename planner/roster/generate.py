"""Seeded employees for a store: a mix of contracts, skills, availability and preferences like a shop's staff; and a
seeded week of required staff to roster them against (`generated_requirement`).

Used for the sample chain's employee files and the roster benchmark (and the test that rebuilds one of its
stores). The same seed gives the same people.
Contracts (hours per week, min-max): full time 32-40, part time 16-24, minijob 6-12, drawn 40 / 40 / 20%. About a
third are keyholders (the full-timers first, at least three). Some part-timers and minijobbers cannot work one or two
weekdays, or only from the afternoon (students); some prefer a day off or early or late shifts.
"""

from __future__ import annotations

import zlib

import numpy as np

from planner.roster.people import ANY_TIME, KEYHOLDER, PREFER_EARLY, PREFER_LATE, Employee, Window

FIRST_NAMES = (
    "Anna", "Ben", "Clara", "David", "Elif", "Felix", "Greta", "Hamza", "Ida", "Jonas", "Kira", "Luca", "Mia",
    "Noah", "Olga", "Paul", "Rosa", "Sami", "Tara", "Umut", "Vera", "Wim", "Yara", "Zoe", "Amir", "Bea", "Carl",
    "Dana", "Emil", "Fatma", "Gus", "Hanna", "Ivan", "Jule", "Karl", "Lena", "Milan", "Nora", "Otto", "Pia",
)
LAST_INITIALS = "ABCDEFGHKLMNPRSTVW"
CONTRACTS = ((32.0, 40.0), (16.0, 24.0), (6.0, 12.0))
"""Full time, part time, minijob: (contract_hours_min, contract_hours_max)."""
CONTRACT_SHARES = (0.4, 0.4, 0.2)
KEYHOLDER_SHARE = 1 / 3
MIN_KEYHOLDERS = 3
WHOLE_DAY = (ANY_TIME,)
AFTERNOON_FROM_MINUTE = 15 * 60


def generate_employees(store_id: str, count: int, seed: int = 0, *, id_prefix: str | None = None
                       ) -> tuple[Employee, ...]:
    """`count` employees whose home store is `store_id`, ids `<prefix>-E01`... (prefix: the store id)."""
    if count < 0:
        raise ValueError(f"count must be 0 or more, got {count}")
    rng = np.random.default_rng([seed, zlib.crc32(store_id.encode())])  # crc32: the same in every process
    kinds = rng.choice(len(CONTRACTS), size=count, p=CONTRACT_SHARES)
    kinds.sort()  # full-timers first: they are the keyholders
    keyholders = min(count, max(MIN_KEYHOLDERS, round(count * KEYHOLDER_SHARE)))
    prefix = id_prefix or store_id
    people = []
    for k, kind in enumerate(kinds):
        low, high = CONTRACTS[kind]
        skills = {"cashier"} | ({KEYHOLDER} if k < keyholders else set())
        if rng.random() < 0.3:
            skills.add("fitting_room")
        availability = [WHOLE_DAY] * 7
        if kind > 0:
            roll = rng.random()
            if roll < 0.3:  # cannot work one or two weekdays
                for day in rng.choice(7, size=int(rng.integers(1, 3)), replace=False):
                    availability[int(day)] = ()
            elif roll < 0.45:  # a student: weekdays from the afternoon only
                availability[:5] = [(Window(AFTERNOON_FROM_MINUTE, 24 * 60),)] * 5
        preferred_off = frozenset({int(rng.integers(7))}) if rng.random() < 0.3 else frozenset()
        roll = rng.random()
        prefers = PREFER_EARLY if roll < 0.15 else PREFER_LATE if roll < 0.3 else None
        first = FIRST_NAMES[int(rng.integers(len(FIRST_NAMES)))]
        name = f"{first} {LAST_INITIALS[int(rng.integers(len(LAST_INITIALS)))]}."
        people.append(Employee(
            employee_id=f"{prefix}-E{k + 1:02d}", name=name, store_id=store_id, skills=frozenset(skills),
            contract_hours_min=low, contract_hours_max=high, availability=tuple(availability),
            preferred_days_off=preferred_off, prefers=prefers,
        ))
    return tuple(people)


def generated_requirement(seed: int) -> np.ndarray:
    """7 x 24 required staff (weekday 0 = Monday, clock hours): open 9-21 Monday to Saturday and 10-18 Sunday, lunch
    and evening peaks, a busier Saturday, each busy hour one more or less at random. The same seed gives the same
    week (the roster benchmark's store N is seed N)."""
    rng = np.random.default_rng(seed)
    table = np.zeros((7, 24))
    for day in range(6):
        table[day, 9:21] = 6
        table[day, 11:14] += 2
        table[day, 16:19] += 3
        table[day, [9, 20]] = 4
    table[5, 10:20] += 2
    table[6, 10:18] = 5
    return np.maximum(0, table + rng.integers(-1, 2, size=table.shape) * (table > 3))
