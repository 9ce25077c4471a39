"""The SQLite schema, as an append-only tuple of migrations: version N is MIGRATIONS[N - 1].

Never edit a released migration; append a new one. ``Store`` applies the missing ones in order,
each in its own transaction, and records the version in ``PRAGMA user_version``.
"""

from __future__ import annotations

MIGRATIONS: tuple[str, ...] = (
    # 1: policy, events, usage, requests, grants
    """
    CREATE TABLE policy (
        id INTEGER PRIMARY KEY CHECK (id = 1),
        toml TEXT NOT NULL,
        revision INTEGER NOT NULL,
        updated_at TEXT NOT NULL
    );
    CREATE TABLE events (
        id INTEGER PRIMARY KEY,
        at TEXT NOT NULL,
        profile TEXT NOT NULL,
        host TEXT NOT NULL,
        url TEXT,
        category TEXT,
        action TEXT NOT NULL,
        source TEXT NOT NULL,
        detail TEXT NOT NULL
    );
    CREATE INDEX events_at ON events (at);
    CREATE INDEX events_profile_at ON events (profile, at);
    CREATE TABLE usage (
        profile TEXT NOT NULL,
        day TEXT NOT NULL,
        category TEXT NOT NULL,
        seconds REAL NOT NULL DEFAULT 0,
        bonus_minutes INTEGER NOT NULL DEFAULT 0,
        PRIMARY KEY (profile, day, category)
    );
    CREATE TABLE requests (
        id INTEGER PRIMARY KEY,
        at TEXT NOT NULL,
        profile TEXT NOT NULL,
        kind TEXT NOT NULL CHECK (kind IN ('time', 'site')),
        category TEXT,
        minutes INTEGER,
        host TEXT,
        message TEXT NOT NULL DEFAULT '',
        status TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'approved', 'denied')),
        decided_at TEXT,
        granted_minutes INTEGER
    );
    CREATE TABLE grants (
        profile TEXT NOT NULL,
        host TEXT NOT NULL,
        kind TEXT NOT NULL CHECK (kind IN ('continue', 'parent')),
        until TEXT NOT NULL,
        PRIMARY KEY (profile, host, kind)
    );
    CREATE TABLE alerts (
        id INTEGER PRIMARY KEY,
        at TEXT NOT NULL,
        kind TEXT NOT NULL,
        profile TEXT,
        detail TEXT NOT NULL,
        seen INTEGER NOT NULL DEFAULT 0
    );
    """,
    # 2: time rules: the last minute counted per profile and category (usage is never counted twice,
    # across restarts too), and the clock's high-water mark (Kiteguard's time never runs backwards)
    """
    CREATE TABLE usage_marks (
        profile TEXT NOT NULL,
        category TEXT NOT NULL,
        minute TEXT NOT NULL,
        PRIMARY KEY (profile, category)
    );
    CREATE TABLE clock_mark (
        id INTEGER PRIMARY KEY CHECK (id = 1),
        instant TEXT NOT NULL,
        boot_id TEXT,
        elapsed REAL
    );
    """,
    # 3: the browser extension: pairing codes, paired browsers (hashed tokens), reports, chat-check counts
    """
    CREATE TABLE pairing_codes (
        code_hash TEXT PRIMARY KEY,
        profile TEXT NOT NULL,
        created_at TEXT NOT NULL,
        expires_at TEXT NOT NULL,
        used_at TEXT
    );
    CREATE TABLE browsers (
        token_id TEXT PRIMARY KEY,
        token_hash TEXT NOT NULL UNIQUE,
        profile TEXT NOT NULL,
        name TEXT NOT NULL,
        paired_at TEXT NOT NULL,
        last_seen TEXT,
        proxy_ok INTEGER,
        revoked_at TEXT,
        alerted INTEGER NOT NULL DEFAULT 0
    );
    CREATE TABLE reports (
        id INTEGER PRIMARY KEY,
        at TEXT NOT NULL,
        profile TEXT NOT NULL,
        url TEXT NOT NULL,
        reason TEXT NOT NULL CHECK (reason IN ('bullying', 'child_sexual', 'scam', 'other')),
        message TEXT NOT NULL DEFAULT '',
        seen INTEGER NOT NULL DEFAULT 0
    );
    CREATE TABLE chat_checks (
        day TEXT NOT NULL,
        profile TEXT NOT NULL,
        checked INTEGER NOT NULL DEFAULT 0,
        flagged INTEGER NOT NULL DEFAULT 0,
        PRIMARY KEY (day, profile)
    );
    """,
)
