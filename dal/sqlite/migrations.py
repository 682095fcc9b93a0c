"""Numbered schema migrations for the SQLite store.

Append new migrations at the end with the next number; never edit one that has shipped, because
databases that already recorded its number will not run it again.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator

MIGRATIONS: list[tuple[int, str]] = [
    (
        1,
        """
        CREATE TABLE users (
            id TEXT PRIMARY KEY,
            email TEXT NOT NULL UNIQUE,
            password_hash TEXT NOT NULL,
            role TEXT NOT NULL DEFAULT 'learner',
            verified INTEGER NOT NULL DEFAULT 0,
            created_at TEXT NOT NULL,
            last_login_at TEXT,
            display_name TEXT NOT NULL DEFAULT '',
            preferences TEXT NOT NULL DEFAULT '{}'
        );
        CREATE INDEX users_by_created ON users (created_at, id);

        CREATE TABLE sessions (
            id TEXT PRIMARY KEY,
            user_id TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
            created_at TEXT NOT NULL,
            expires_at TEXT NOT NULL,
            last_seen_at TEXT NOT NULL,
            user_agent TEXT NOT NULL DEFAULT '',
            ip TEXT NOT NULL DEFAULT '',
            remember INTEGER NOT NULL DEFAULT 0
        );
        CREATE INDEX sessions_by_user ON sessions (user_id, created_at);

        CREATE TABLE one_time_tokens (
            token_hash TEXT PRIMARY KEY,
            purpose TEXT NOT NULL,
            user_id TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
            created_at TEXT NOT NULL,
            expires_at TEXT NOT NULL,
            used_at TEXT
        );
        CREATE INDEX one_time_tokens_by_user ON one_time_tokens (user_id);

        CREATE TABLE counters (
            key TEXT PRIMARY KEY,
            value INTEGER NOT NULL,
            expires_at TEXT NOT NULL
        );

        CREATE TABLE activity_events (
            user_id TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
            id TEXT NOT NULL,
            at TEXT NOT NULL,
            kind TEXT NOT NULL,
            detail TEXT NOT NULL DEFAULT '{}',
            PRIMARY KEY (user_id, id)
        ) WITHOUT ROWID;

        CREATE TABLE settings (
            key TEXT PRIMARY KEY,
            value TEXT NOT NULL
        );

        CREATE TABLE lesson_cache (
            key TEXT PRIMARY KEY,
            content TEXT NOT NULL,
            source TEXT NOT NULL,
            created_at TEXT NOT NULL,
            expires_at TEXT NOT NULL,
            model TEXT NOT NULL DEFAULT '',
            input_tokens INTEGER NOT NULL DEFAULT 0,
            output_tokens INTEGER NOT NULL DEFAULT 0,
            cost_usd REAL NOT NULL DEFAULT 0,
            hit_count INTEGER NOT NULL DEFAULT 0
        );

        CREATE TABLE progress (
            user_id TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
            lesson_id TEXT NOT NULL,
            attempts INTEGER NOT NULL DEFAULT 0,
            hints_used INTEGER NOT NULL DEFAULT 0,
            ai_hints_used INTEGER NOT NULL DEFAULT 0,
            first_attempt_at TEXT,
            last_attempt_at TEXT,
            completed_at TEXT,
            assisted INTEGER NOT NULL DEFAULT 0,
            PRIMARY KEY (user_id, lesson_id)
        ) WITHOUT ROWID;

        CREATE TABLE drafts (
            user_id TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
            lesson_id TEXT NOT NULL,
            code TEXT NOT NULL,
            updated_at TEXT NOT NULL,
            PRIMARY KEY (user_id, lesson_id)
        ) WITHOUT ROWID;

        CREATE TABLE usage_ledger (
            day TEXT NOT NULL,
            feature TEXT NOT NULL,
            model TEXT NOT NULL,
            calls INTEGER NOT NULL DEFAULT 0,
            input_tokens INTEGER NOT NULL DEFAULT 0,
            output_tokens INTEGER NOT NULL DEFAULT 0,
            cost_usd REAL NOT NULL DEFAULT 0,
            PRIMARY KEY (day, feature, model)
        ) WITHOUT ROWID;
        """,
    ),
    (
        2,
        # A rowid table, not WITHOUT ROWID: a report row can be tens of KB, which WITHOUT ROWID
        # tables store badly. Deleting the user deletes their reports (ON DELETE CASCADE).
        """
        CREATE TABLE last_reports (
            user_id TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
            lesson_id TEXT NOT NULL,
            report TEXT NOT NULL,
            submitted_at TEXT NOT NULL,
            code_digest TEXT NOT NULL DEFAULT '',
            PRIMARY KEY (user_id, lesson_id)
        );
        """,
    ),
    (
        3,
        # The tutor (dal/tutor.py): one mastery row per learner x concept, quiz attempts, quiz records.
        """
        CREATE TABLE masteries (
            user_id TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
            concept_id TEXT NOT NULL,
            p_known REAL NOT NULL,
            evidence INTEGER NOT NULL DEFAULT 0,
            recent TEXT NOT NULL DEFAULT '',
            history TEXT NOT NULL DEFAULT '[]',
            updated_at TEXT,
            source TEXT NOT NULL DEFAULT '',
            version INTEGER NOT NULL,
            PRIMARY KEY (user_id, concept_id)
        );

        CREATE TABLE quiz_attempts (
            user_id TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
            id TEXT NOT NULL,
            quiz_key TEXT NOT NULL,
            questions TEXT NOT NULL,
            answers TEXT NOT NULL DEFAULT '[]',
            answered INTEGER NOT NULL DEFAULT 0,
            step TEXT NOT NULL DEFAULT '',
            score INTEGER NOT NULL DEFAULT 0,
            state TEXT NOT NULL DEFAULT '{}',
            created_at TEXT NOT NULL,
            submitted_at TEXT,
            PRIMARY KEY (user_id, id)
        );

        CREATE TABLE quiz_records (
            user_id TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
            quiz_key TEXT NOT NULL,
            attempts INTEGER NOT NULL DEFAULT 0,
            best_score INTEGER NOT NULL DEFAULT 0,
            last_score INTEGER NOT NULL DEFAULT 0,
            total INTEGER NOT NULL DEFAULT 0,
            last_at TEXT,
            last_attempt TEXT NOT NULL DEFAULT '',
            PRIMARY KEY (user_id, quiz_key)
        );
        """,
    ),
    (
        4,
        # Progress (dal/progress.py): activity per learner x UTC hour, a summary, achievements.
        """
        CREATE TABLE activity_hours (
            user_id TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
            hour TEXT NOT NULL,
            events INTEGER NOT NULL DEFAULT 0,
            seconds INTEGER NOT NULL DEFAULT 0,
            PRIMARY KEY (user_id, hour)
        ) WITHOUT ROWID;

        CREATE TABLE progress_summaries (
            user_id TEXT PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
            counts TEXT NOT NULL DEFAULT '{}',
            first_event_at TEXT,
            last_event_at TEXT
        );

        CREATE TABLE achievements (
            user_id TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
            achievement_id TEXT NOT NULL,
            earned_at TEXT NOT NULL,
            PRIMARY KEY (user_id, achievement_id)
        ) WITHOUT ROWID;
        """,
    ),
    (
        5,
        # Reviews (dal/reviews.py): FSRS cards, due-ordered per learner, and the review log.
        """
        CREATE TABLE review_cards (
            user_id TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
            card_id TEXT NOT NULL,
            kind TEXT NOT NULL,
            lesson_id TEXT NOT NULL,
            due TEXT NOT NULL,
            scheduler TEXT NOT NULL DEFAULT '{}',
            reps INTEGER NOT NULL DEFAULT 0,
            lapses INTEGER NOT NULL DEFAULT 0,
            last_rating INTEGER NOT NULL DEFAULT 0,
            last_review_id TEXT NOT NULL DEFAULT '',
            created_at TEXT,
            version INTEGER NOT NULL DEFAULT 1,
            PRIMARY KEY (user_id, card_id)
        );

        CREATE INDEX review_cards_due ON review_cards (user_id, due);

        CREATE TABLE review_logs (
            user_id TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
            review_id TEXT NOT NULL,
            card_id TEXT NOT NULL,
            rating INTEGER NOT NULL,
            reviewed_at TEXT NOT NULL,
            due_before TEXT NOT NULL,
            due_after TEXT NOT NULL,
            item TEXT NOT NULL DEFAULT '',
            detail TEXT NOT NULL DEFAULT '{}',
            PRIMARY KEY (user_id, review_id)
        );

        CREATE INDEX review_logs_time ON review_logs (user_id, reviewed_at);
        """,
    ),
    (
        6,
        # The chat (dal/chat.py): conversations and their messages, which go with the conversation.
        # (6, not 5: 4 and 5 are being added by other areas at the same time; the numbers only order.)
        """
        CREATE TABLE chat_conversations (
            user_id TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
            id TEXT NOT NULL,
            title TEXT NOT NULL,
            created_at TEXT NOT NULL,
            updated_at TEXT NOT NULL,
            lesson_id TEXT NOT NULL DEFAULT '',
            context TEXT NOT NULL DEFAULT '{}',
            summary TEXT NOT NULL DEFAULT '',
            message_count INTEGER NOT NULL DEFAULT 0,
            PRIMARY KEY (user_id, id)
        );

        CREATE TABLE chat_messages (
            user_id TEXT NOT NULL,
            conversation_id TEXT NOT NULL,
            id TEXT NOT NULL,
            role TEXT NOT NULL,
            text TEXT NOT NULL,
            created_at TEXT NOT NULL,
            citations TEXT NOT NULL DEFAULT '[]',
            source TEXT NOT NULL DEFAULT '',
            notes TEXT NOT NULL DEFAULT '[]',
            PRIMARY KEY (user_id, conversation_id, id),
            FOREIGN KEY (user_id, conversation_id) REFERENCES chat_conversations (user_id, id) ON DELETE CASCADE
        );
        """,
    ),
    (
        7,
        # The code assistant's history (dal/assistant.py), kept 30 days: purged per learner on write.
        """
        CREATE TABLE assistant_requests (
            user_id TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
            id TEXT NOT NULL,
            mode TEXT NOT NULL,
            created_at TEXT NOT NULL,
            expires_at TEXT NOT NULL,
            code TEXT NOT NULL DEFAULT '',
            result TEXT NOT NULL DEFAULT '{}',
            PRIMARY KEY (user_id, id)
        );
        """,
    ),
    (
        8,
        # Identity-provider links (dal/identities.py): one account per provider identity.
        """
        CREATE TABLE identities (
            provider TEXT NOT NULL,
            subject TEXT NOT NULL,
            user_id TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
            email TEXT NOT NULL DEFAULT '',
            linked_at TEXT NOT NULL,
            PRIMARY KEY (provider, subject)
        );
        CREATE INDEX identities_by_user ON identities (user_id);
        """,
    ),
    (
        9,
        # The admin area (dal/admin.py): the audit trail (pseudonyms only), which account each of its
        # pseudonyms stands for (gone with the account), and the answer gate's refusals, kept 30 days.
        """
        CREATE TABLE admin_audit (
            id TEXT PRIMARY KEY,
            at TEXT NOT NULL,
            actor TEXT NOT NULL,
            action TEXT NOT NULL,
            target TEXT NOT NULL DEFAULT '',
            detail TEXT NOT NULL DEFAULT '{}'
        );

        CREATE TABLE audit_names (
            pseudonym TEXT PRIMARY KEY,
            user_id TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE
        );
        CREATE INDEX audit_names_by_user ON audit_names (user_id);

        CREATE TABLE gate_rejections (
            id TEXT PRIMARY KEY,
            at TEXT NOT NULL,
            expires_at TEXT NOT NULL,
            task TEXT NOT NULL,
            lesson_id TEXT NOT NULL DEFAULT '',
            kind TEXT NOT NULL,
            reason TEXT NOT NULL DEFAULT '',
            text TEXT NOT NULL DEFAULT ''
        );
        """,
    ),
    (
        10,
        # API refresh tokens (dal/api_tokens.py): one family per login session, gone with the session.
        """
        CREATE TABLE refresh_tokens (
            token_hash TEXT PRIMARY KEY,
            session_id TEXT NOT NULL REFERENCES sessions (id) ON DELETE CASCADE,
            user_id TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
            created_at TEXT NOT NULL,
            expires_at TEXT NOT NULL,
            used_at TEXT
        );
        CREATE INDEX refresh_tokens_by_session ON refresh_tokens (session_id);
        CREATE INDEX refresh_tokens_by_user ON refresh_tokens (user_id);
        """,
    ),
]


def _statements(script: str) -> Iterator[str]:
    """Split a migration into statements, so they can run inside one explicit transaction
    (executescript would commit on its own)."""
    pending = ""
    for line in script.splitlines(keepends=True):
        pending += line
        if sqlite3.complete_statement(pending):
            yield pending.strip()
            pending = ""
    if pending.strip():
        raise ValueError(f"incomplete SQL statement in migration: {pending.strip()[:80]!r}")


def apply_migrations(
    connection: sqlite3.Connection, migrations: list[tuple[int, str]] = MIGRATIONS
) -> list[int]:
    """Apply, in order, the migrations not yet recorded; returns the numbers applied.

    Everything runs in one IMMEDIATE transaction: two processes starting together (gunicorn
    workers) serialise here instead of both applying the same migration.
    """
    connection.execute(
        "CREATE TABLE IF NOT EXISTS schema_migrations (number INTEGER PRIMARY KEY, applied_at TEXT NOT NULL)"
    )
    connection.execute("BEGIN IMMEDIATE")
    try:
        applied = {number for (number,) in connection.execute("SELECT number FROM schema_migrations")}
        newly_applied = []
        for number, script in sorted(migrations):
            if number in applied:
                continue
            for statement in _statements(script):
                connection.execute(statement)
            connection.execute(
                "INSERT INTO schema_migrations (number, applied_at) "
                "VALUES (?, strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))",
                (number,),
            )
            newly_applied.append(number)
        connection.execute("COMMIT")
    except BaseException:
        connection.execute("ROLLBACK")
        raise
    return newly_applied
