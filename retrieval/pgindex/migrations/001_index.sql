-- The shared, versioned index. A version is written in one transaction
-- and then marked complete; processes load only complete versions.

CREATE TABLE index_versions (
    version        bigint      PRIMARY KEY,
    complete       boolean     NOT NULL DEFAULT false,
    embedder_kind  text        NOT NULL,
    embedder_model text        NOT NULL,
    embedder_dims  integer     NOT NULL,
    passages       integer     NOT NULL DEFAULT 0,
    -- SHA-256 of the version's passages with all their metadata: an
    -- unchanged corpus makes no new version.
    fingerprint    text        NOT NULL,
    created_at     timestamptz NOT NULL DEFAULT now(),
    completed_at   timestamptz
);

CREATE INDEX index_versions_newest ON index_versions (embedder_kind, embedder_model, version DESC) WHERE complete;

CREATE TABLE stories (
    version     bigint NOT NULL REFERENCES index_versions ON DELETE CASCADE,
    slug        text   NOT NULL,
    title       text   NOT NULL,
    publication text   NOT NULL,
    PRIMARY KEY (version, slug)
);

-- Embeddings by content: a passage whose text (hash) is unchanged reuses
-- its vector in every later version. float32, little-endian.
CREATE TABLE vectors (
    embedder text  NOT NULL, -- kind/model
    hash     text  NOT NULL, -- hex SHA-256 of the passage text
    vector   bytea NOT NULL,
    PRIMARY KEY (embedder, hash)
);

CREATE TABLE passages (
    version   bigint  NOT NULL,
    ord       integer NOT NULL, -- rank in the corpus
    id        text    NOT NULL, -- <slug>#p<N>
    story     text    NOT NULL,
    paragraph integer NOT NULL,
    part      integer NOT NULL,
    text      text    NOT NULL,
    hash      text    NOT NULL,
    quotes    jsonb   NOT NULL, -- retrieval.Quote objects, speakers included
    PRIMARY KEY (version, ord),
    UNIQUE (version, id),
    FOREIGN KEY (version, story) REFERENCES stories ON DELETE CASCADE
);

-- Every quotation and reported claim with its speaker, for SQL readers.
CREATE VIEW quotes AS
SELECT p.version, p.id AS passage_id, q."Paragraph" AS paragraph, q."Text" AS quote,
       q."Speaker" AS speaker, q."Role" AS role, q."Direct" AS direct, q."Sentence" AS sentence
FROM passages p, jsonb_to_recordset(p.quotes) AS q("Paragraph" integer, "Text" text, "Speaker" text,
                                                  "Role" text, "Direct" boolean, "Sentence" text);
