"""The relational schema. Table and column names are a public interface: users write SQL
against them, so renaming one is a breaking change (and needs a migration).

Timestamps are stored as naive UTC datetimes on both databases.
"""
from __future__ import annotations

from datetime import datetime, timezone

from sqlalchemy import (
    CheckConstraint,
    JSON,
    BigInteger,
    Boolean,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Text,
    UniqueConstraint,
    false,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

# Deterministic constraint names, so migrations can refer to them on both databases.
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

QUOTE_KINDS = ("direct", "partial")
QUOTE_STATUSES = ("found", "rejected")
# Article fields a person can set (corpus edit); a field set so is kept by every reprocess.
EDITABLE_FIELDS = ("title", "subtitle", "byline", "outlet", "published_at", "url", "language")


def utcnow() -> datetime:
    """Now, as the naive UTC datetime the schema stores."""
    return datetime.now(timezone.utc).replace(tzinfo=None)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


class Outlet(Base):
    """A publisher. One row per name, and per domain when the domain is known."""

    __tablename__ = "outlets"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    domain: Mapped[str | None] = mapped_column(String(255), unique=True)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)

    articles: Mapped[list[Article]] = relationship(back_populates="outlet")


class Document(Base):
    """The raw bytes an article was made from, kept so nothing added is lost and cleaning
    can be re-run. `data` is zlib-compressed; `sha256` is of the uncompressed bytes. A
    document cleaning found no article in is kept too, with the reason in `refusal`, so
    `reprocess` can revisit it.
    `supplied_metadata` is what the user gave when adding (outlet, title, published, url),
    which re-cleaning keeps over what it finds in the page."""

    __tablename__ = "documents"

    id: Mapped[int] = mapped_column(primary_key=True)
    sha256: Mapped[str] = mapped_column(String(64), unique=True)
    content_type: Mapped[str] = mapped_column(String(100))
    encoding: Mapped[str | None] = mapped_column(String(40))
    size: Mapped[int] = mapped_column(Integer)
    data: Mapped[bytes] = mapped_column(LargeBinary)
    url: Mapped[str | None] = mapped_column(Text)
    fetched_at: Mapped[datetime | None] = mapped_column(DateTime)
    supplied_metadata: Mapped[dict | None] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    # Why cleaning made no article of it ("not an article: error page"), and the path or URL
    # it was added from; both NULL when it made one (the article has its own source).
    source: Mapped[str | None] = mapped_column(Text)
    refusal: Mapped[str | None] = mapped_column(Text)


class Article(Base):
    """One cleaned news article. `content_hash` is the sha256 of its whitespace-normalised
    body, so the same text added twice (even from different raw pages) is one article."""

    __tablename__ = "articles"

    id: Mapped[int] = mapped_column(primary_key=True)
    outlet_id: Mapped[int | None] = mapped_column(ForeignKey("outlets.id", ondelete="SET NULL"))
    document_id: Mapped[int] = mapped_column(
        ForeignKey("documents.id", ondelete="RESTRICT"), unique=True
    )
    url: Mapped[str | None] = mapped_column(String(2048), unique=True)
    source: Mapped[str] = mapped_column(Text)
    title: Mapped[str | None] = mapped_column(Text)
    subtitle: Mapped[str | None] = mapped_column(Text)
    byline: Mapped[str | None] = mapped_column(Text)
    published_at: Mapped[datetime | None] = mapped_column(DateTime, index=True)
    language: Mapped[str | None] = mapped_column(String(16))
    body: Mapped[str] = mapped_column(Text)
    word_count: Mapped[int] = mapped_column(Integer)
    source_credit: Mapped[str | None] = mapped_column(String(200))
    content_hash: Mapped[str] = mapped_column(String(64), unique=True)
    extractor_version: Mapped[str] = mapped_column(String(40))
    added_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow, index=True)
    # The EDITABLE_FIELDS a person set (a JSON list; NULL when none): reprocessing leaves them as they are.
    edited_fields: Mapped[list[str] | None] = mapped_column(JSON(none_as_null=True))

    outlet: Mapped[Outlet | None] = relationship(back_populates="articles")
    document: Mapped[Document] = relationship()
    tags: Mapped[list[Tag]] = relationship(
        secondary="article_tags", back_populates="articles", order_by="Tag.name"
    )
    quotes: Mapped[list[Quote]] = relationship(
        back_populates="article", cascade="all, delete-orphan", order_by="Quote.start_offset"
    )


# `corpus list` shows the newest first, undated last: SQLite reads that order off the plain
# published_at index; PostgreSQL needs an index in exactly this order.
Index("ix_articles_newest_first", Article.published_at.desc().nulls_last(), Article.id.desc()).ddl_if(
    dialect="postgresql")
# One outlet's articles newest first (`list --outlet`), read in order off the index rather
# than all of them sorted; it also serves the outlet foreign key. SQLite's index holds the
# rowid after published_at and walks backwards; PostgreSQL's is in exactly that order.
Index("ix_articles_outlet_newest", Article.outlet_id, Article.published_at).ddl_if(dialect="sqlite")
Index("ix_articles_outlet_newest", Article.outlet_id, Article.published_at.desc().nulls_last(),
      Article.id.desc()).ddl_if(dialect="postgresql")


class Tag(Base):
    """A label people give articles. `name` is the first spelling used; `name_key` is its
    trimmed, case-folded form (corpus.ingest.tag_key), one tag per key, which is what
    every lookup matches: "Needs Check", "needs check" and " needs  check " are one tag."""

    __tablename__ = "tags"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(100), unique=True)
    name_key: Mapped[str] = mapped_column(String(100), unique=True, index=True, server_default="")
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)

    articles: Mapped[list[Article]] = relationship(
        secondary="article_tags", back_populates="tags"
    )


class ArticleTag(Base):
    __tablename__ = "article_tags"

    article_id: Mapped[int] = mapped_column(
        ForeignKey("articles.id", ondelete="CASCADE"), primary_key=True
    )
    tag_id: Mapped[int] = mapped_column(
        ForeignKey("tags.id", ondelete="CASCADE"), primary_key=True, index=True
    )
    tagged_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)


class Speaker(Base):
    """A person or organisation quoted anywhere in the corpus: one row whatever spelling
    each article uses (the spellings are in speaker_aliases). `kind` is "person",
    "organisation", "description" (a source the article does not name, "a senior US
    official": one row per article, never merged with anyone by name) or NULL (not known);
    `role` is the office or description the articles give, `organisation` the body the
    speaker is or speaks for ("State Department" for a State Department official)."""

    __tablename__ = "speakers"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(300), index=True)
    kind: Mapped[str | None] = mapped_column(String(20))
    role: Mapped[str | None] = mapped_column(Text)
    organisation: Mapped[str | None] = mapped_column(String(300), index=True)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    # A person chose this name (rename, or a new speaker named when assigning a quote): no
    # add or reprocess replaces it with a spelling an article uses.
    name_locked: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())

    aliases: Mapped[list[SpeakerAlias]] = relationship(
        back_populates="speaker", cascade="all, delete-orphan", order_by="SpeakerAlias.alias"
    )
    quotes: Mapped[list[Quote]] = relationship(back_populates="speaker")


class SpeakerAlias(Base):
    """A form of a speaker's name as an article wrote it; `alias_key` is its normalised
    form (corpus.names.name_key), which is what lookups use, and `surname_key` the
    normalised family name, for finding "Mr Lavrov" among all the Lavrovs."""

    __tablename__ = "speaker_aliases"
    __table_args__ = (UniqueConstraint("speaker_id", "alias_key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    speaker_id: Mapped[int] = mapped_column(
        ForeignKey("speakers.id", ondelete="CASCADE"), index=True
    )
    alias: Mapped[str] = mapped_column(String(300))
    alias_key: Mapped[str] = mapped_column(String(300), index=True)
    surname_key: Mapped[str | None] = mapped_column(String(100), index=True)

    speaker: Mapped[Speaker] = relationship(back_populates="aliases")


class Quote(Base):
    """A quotation in an article's body: body[start_offset:end_offset] == text.
    `speaker_name` and `speaker_role` are as the article gives them; `speaker_id` is the
    corpus-wide speaker they were resolved to, or the one a person assigned
    (`speaker_assigned`). `status` is "rejected" when a person judged it not a quotation
    (or not worth keeping): it is then left out of listings, exports and counts.
    Reprocessing keeps a quote it finds again under its id, with status and assignment."""

    __tablename__ = "quotes"
    __table_args__ = (CheckConstraint("kind IN ('direct', 'partial')", name="kind"),
                      CheckConstraint("status IN ('found', 'rejected')", name="status"),
                      # speakers' quote and article counts, read from the index alone (migration 0007)
                      Index("ix_quotes_speaker_listing", "speaker_id", "status", "article_id"))

    id: Mapped[int] = mapped_column(primary_key=True)
    article_id: Mapped[int] = mapped_column(
        ForeignKey("articles.id", ondelete="CASCADE"), index=True
    )
    speaker_id: Mapped[int | None] = mapped_column(
        ForeignKey("speakers.id", ondelete="SET NULL"), index=True
    )
    text: Mapped[str] = mapped_column(Text)
    kind: Mapped[str] = mapped_column(String(10), index=True)
    cue: Mapped[str | None] = mapped_column(String(50))
    start_offset: Mapped[int] = mapped_column(Integer)
    end_offset: Mapped[int] = mapped_column(Integer)
    speaker_name: Mapped[str | None] = mapped_column(String(300))
    speaker_role: Mapped[str | None] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(10), default="found", server_default="found")
    speaker_assigned: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())

    article: Mapped[Article] = relationship(back_populates="quotes")
    speaker: Mapped[Speaker | None] = relationship(back_populates="quotes")


class ArticleMinhash(Base):
    """An article's MinHash signature (corpus.dedup), kept to compare later articles with.
    `scheme` names the parameters it was made with; signatures of other schemes are not
    comparable."""

    __tablename__ = "article_minhashes"

    article_id: Mapped[int] = mapped_column(ForeignKey("articles.id", ondelete="CASCADE"), primary_key=True)
    scheme: Mapped[str] = mapped_column(String(100))
    signature: Mapped[bytes] = mapped_column(LargeBinary)


class MinhashBand(Base):
    """LSH band keys of each article's signature: articles sharing a key are candidate
    near-duplicates, found with one indexed lookup."""

    __tablename__ = "minhash_bands"

    band_key: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    article_id: Mapped[int] = mapped_column(
        ForeignKey("articles.id", ondelete="CASCADE"), primary_key=True, index=True
    )


class NearDuplicate(Base):
    """An article that is a near-copy of an earlier one (the same story with small edits,
    e.g. wire copy in another outlet). Both articles are kept; `duplicate_of` is the first
    article of the cluster, so a cluster is the rows sharing one `duplicate_of`."""

    __tablename__ = "near_duplicates"

    article_id: Mapped[int] = mapped_column(ForeignKey("articles.id", ondelete="CASCADE"), primary_key=True)
    duplicate_of: Mapped[int] = mapped_column(ForeignKey("articles.id", ondelete="CASCADE"), index=True)
    similarity: Mapped[float] = mapped_column(Float)
    detected_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)


class Setting(Base):
    """A setting every process adding to this database uses (`corpus settings`), e.g. the
    similarity at which near-duplicates are linked. A setting not stored has its default."""

    __tablename__ = "settings"

    name: Mapped[str] = mapped_column(String(64), primary_key=True)
    value: Mapped[str] = mapped_column(Text)


class History(Base):
    """One curation action a person took (edit, delete, tag, quote reject, speaker merge,
    undo, ...): when, what kind, the values before and after as JSON, and their note.
    Rows are never changed or deleted by the program; the rows an action touched are in
    history_rows, so the history of an article or speaker is one indexed lookup, and it
    outlives the rows themselves (a deleted article keeps its history)."""

    __tablename__ = "history"

    id: Mapped[int] = mapped_column(primary_key=True)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow, index=True)
    action: Mapped[str] = mapped_column(String(30), index=True)
    before: Mapped[dict | None] = mapped_column(JSON(none_as_null=True))
    after: Mapped[dict | None] = mapped_column(JSON(none_as_null=True))
    note: Mapped[str | None] = mapped_column(Text)
    # For an "undo": the action it reversed (unique: an action is undone once).
    undo_of: Mapped[int | None] = mapped_column(ForeignKey("history.id", ondelete="SET NULL"), unique=True)

    rows: Mapped[list[HistoryRow]] = relationship(cascade="all, delete-orphan", order_by="HistoryRow.table_name")


class HistoryRow(Base):
    """A row one history action touched: `table_name` is articles, quotes, speakers or
    tags, `row_id` its id then (the row may since have been deleted)."""

    __tablename__ = "history_rows"
    __table_args__ = (Index("ix_history_rows_row", "table_name", "row_id"),)

    history_id: Mapped[int] = mapped_column(ForeignKey("history.id", ondelete="CASCADE"), primary_key=True)
    table_name: Mapped[str] = mapped_column(String(20), primary_key=True)
    row_id: Mapped[int] = mapped_column(Integer, primary_key=True)
