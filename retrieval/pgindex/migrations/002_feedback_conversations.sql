-- Feedback and conversation memory, shared by every process so that a
-- restart or a moved shard keeps them. (Created here; the bot's writers
-- still use the local feedback log and in-process memory.)

CREATE TABLE feedback (
    id          bigserial   PRIMARY KEY,
    time        timestamptz NOT NULL DEFAULT now(),
    verdict     text        NOT NULL CHECK (verdict IN ('up', 'down')),
    question    text        NOT NULL,
    standalone  text        NOT NULL,
    answer_mode text        NOT NULL,
    passage_ids text[]      NOT NULL,
    guild       text        NOT NULL,
    user_hash   text        NOT NULL -- a salted hash, never the raw id
);

CREATE TABLE conversation_turns (
    conversation text        NOT NULL, -- DM channel, reply chain root or thread
    turn         integer     NOT NULL,
    question     text        NOT NULL,
    standalone   text        NOT NULL,
    answer       text        NOT NULL,
    passage_ids  text[]      NOT NULL,
    created_at   timestamptz NOT NULL DEFAULT now(),
    expires_at   timestamptz NOT NULL,
    PRIMARY KEY (conversation, turn)
);

CREATE INDEX conversation_turns_expiry ON conversation_turns (expires_at);
