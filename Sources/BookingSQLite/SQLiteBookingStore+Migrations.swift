import GRDB

extension SQLiteBookingStore {
    /// Named, append-only migrations. Never edit a released one: add the next.
    static var migrator: DatabaseMigrator {
        var m = DatabaseMigrator()
        m.registerMigration("v1-booking-core") { db in
            try db.execute(
                sql: """
                    CREATE TABLE resource (
                        id TEXT PRIMARY KEY NOT NULL,
                        kind TEXT NOT NULL,
                        json TEXT NOT NULL
                    );
                    CREATE TABLE schedule (
                        id TEXT PRIMARY KEY NOT NULL,
                        json TEXT NOT NULL,
                        availability_version INTEGER NOT NULL DEFAULT 1,
                        recheck_pending INTEGER NOT NULL DEFAULT 0
                    );
                    CREATE TABLE schedule_resource (
                        schedule_id TEXT NOT NULL REFERENCES schedule(id) ON DELETE CASCADE,
                        resource_id TEXT NOT NULL REFERENCES resource(id),
                        PRIMARY KEY (schedule_id, resource_id)
                    );
                    CREATE TABLE availability_rule (
                        id TEXT PRIMARY KEY NOT NULL,
                        schedule_id TEXT NOT NULL REFERENCES schedule(id) ON DELETE CASCADE,
                        json TEXT NOT NULL
                    );
                    CREATE INDEX availability_rule_schedule ON availability_rule(schedule_id);
                    CREATE TABLE availability_exception (
                        id TEXT PRIMARY KEY NOT NULL,
                        json TEXT NOT NULL
                    );
                    CREATE TABLE appointment (
                        id TEXT PRIMARY KEY NOT NULL,
                        version INTEGER NOT NULL,
                        status TEXT NOT NULL,
                        start REAL NOT NULL,
                        "end" REAL NOT NULL,
                        patient_id TEXT,
                        needs_reschedule INTEGER NOT NULL DEFAULT 0,
                        client_request_id TEXT UNIQUE,
                        created REAL NOT NULL,
                        last_updated REAL NOT NULL,
                        json TEXT NOT NULL
                    );
                    CREATE INDEX appointment_start ON appointment(start);
                    CREATE INDEX appointment_flagged ON appointment(needs_reschedule) WHERE needs_reschedule = 1;
                    CREATE TABLE appointment_schedule (
                        appointment_id TEXT NOT NULL REFERENCES appointment(id) ON DELETE CASCADE,
                        schedule_id TEXT NOT NULL,
                        PRIMARY KEY (appointment_id, schedule_id)
                    );
                    CREATE INDEX appointment_schedule_by_schedule ON appointment_schedule(schedule_id);
                    CREATE TABLE appointment_identifier (
                        system TEXT NOT NULL,
                        value TEXT NOT NULL,
                        appointment_id TEXT NOT NULL REFERENCES appointment(id) ON DELETE CASCADE,
                        PRIMARY KEY (system, value)
                    );
                    CREATE TABLE appointment_version (
                        appointment_id TEXT NOT NULL REFERENCES appointment(id) ON DELETE CASCADE,
                        version INTEGER NOT NULL,
                        recorded_at REAL NOT NULL,
                        json TEXT NOT NULL,
                        PRIMARY KEY (appointment_id, version)
                    );
                    CREATE TABLE hold (
                        id TEXT PRIMARY KEY NOT NULL,
                        request_key TEXT,
                        status TEXT NOT NULL CHECK (status IN ('active', 'consumed', 'released', 'expired')),
                        expires_at REAL NOT NULL,
                        created_at REAL NOT NULL,
                        waitlist_entry_id TEXT,
                        json TEXT NOT NULL
                    );
                    CREATE UNIQUE INDEX hold_live_request_key ON hold(request_key)
                        WHERE request_key IS NOT NULL AND status = 'active';
                    CREATE INDEX hold_expiry ON hold(status, expires_at);
                    CREATE TABLE claim (
                        id INTEGER PRIMARY KEY AUTOINCREMENT,
                        owner_kind TEXT NOT NULL CHECK (owner_kind IN ('appointment', 'hold')),
                        owner_id TEXT NOT NULL,
                        schedule_id TEXT NOT NULL,
                        slot_key TEXT,
                        resource_id TEXT,
                        start REAL NOT NULL,
                        "end" REAL NOT NULL,
                        local_date TEXT,
                        active INTEGER NOT NULL DEFAULT 1
                    );
                    CREATE INDEX claim_owner ON claim(owner_kind, owner_id);
                    CREATE INDEX claim_live_slot ON claim(slot_key) WHERE active = 1;
                    CREATE INDEX claim_live_schedule ON claim(schedule_id, start) WHERE active = 1;
                    CREATE INDEX claim_live_resource ON claim(resource_id, start) WHERE active = 1;
                    CREATE TABLE slot_usage (
                        slot_key TEXT PRIMARY KEY NOT NULL,
                        schedule_id TEXT NOT NULL,
                        start REAL NOT NULL,
                        capacity INTEGER NOT NULL,
                        used INTEGER NOT NULL CHECK (used >= 0)
                    );
                    CREATE TABLE day_usage (
                        schedule_id TEXT NOT NULL,
                        local_date TEXT NOT NULL,
                        used INTEGER NOT NULL CHECK (used >= 0),
                        PRIMARY KEY (schedule_id, local_date)
                    );
                    CREATE TABLE waitlist_entry (
                        id TEXT PRIMARY KEY NOT NULL,
                        status TEXT NOT NULL,
                        created_at REAL NOT NULL,
                        json TEXT NOT NULL
                    );
                    CREATE TABLE outbox (
                        id INTEGER PRIMARY KEY AUTOINCREMENT,
                        kind TEXT NOT NULL,
                        aggregate_id TEXT NOT NULL,
                        payload TEXT NOT NULL,
                        created_at REAL NOT NULL,
                        delivered_at REAL
                    );
                    """)
        }
        m.registerMigration("v2-appointment-version-time") { db in
            // Type and system history read the newest versions first.
            try db.execute(sql: "CREATE INDEX appointment_version_recorded ON appointment_version(recorded_at)")
        }
        return m
    }
}
