"""Readable random job names in the Azure ML style: ``brave_river_k3m9x2``."""

from __future__ import annotations

import secrets

ADJECTIVES = ("amber", "bold", "brave", "calm", "clever", "crisp", "eager", "gentle", "happy", "honest", "jolly",
              "keen", "lively", "lucid", "mellow", "nimble", "patient", "plucky", "quiet", "sharp", "shiny", "silver",
              "sincere", "steady", "sunny", "swift", "tidy", "upbeat", "vivid", "witty", "zesty", "loyal")
NOUNS = ("apple", "badger", "brook", "cactus", "comet", "coral", "crane", "falcon", "fig", "garden", "glacier",
         "harbor", "heron", "island", "lemon", "lynx", "maple", "meadow", "otter", "pepper", "pine", "plum", "quartz",
         "river", "rocket", "sage", "spider", "tiger", "tulip", "walrus", "willow", "yam")
ALPHABET = "abcdefghijklmnopqrstuvwxyz0123456789"


def job_name() -> str:
    suffix = "".join(secrets.choice(ALPHABET) for _ in range(6))
    return f"{secrets.choice(ADJECTIVES)}_{secrets.choice(NOUNS)}_{suffix}"
