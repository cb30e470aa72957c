-- What conversation memory needs beyond 002: the speakers a turn's answer
-- cited and whether it refused (a follow-up's "he" is read from them), and
-- the answers a reply may continue (an answer message or a thread opened on
-- one → its conversation and what it answered), so that a restart or a
-- moved shard keeps reply chains and threads as well as DMs.

ALTER TABLE conversation_turns
    ADD COLUMN speakers text[]  NOT NULL DEFAULT '{}',
    ADD COLUMN refused  boolean NOT NULL DEFAULT false;

CREATE TABLE conversation_answers (
    id           text        PRIMARY KEY, -- the answer message's id, or the thread's
    conversation text        NOT NULL,
    question     text        NOT NULL,
    standalone   text        NOT NULL,
    answer_mode  text        NOT NULL,
    passage_ids  text[]      NOT NULL,
    expires_at   timestamptz NOT NULL
);

CREATE INDEX conversation_answers_expiry ON conversation_answers (expires_at);
