-- When a session was last used (seconds since 1970; 0: not since it was created), for the
-- idle timeout beside the absolute one (src/access).
ALTER TABLE app_session ADD COLUMN last_seen BIGINT NOT NULL DEFAULT 0;
