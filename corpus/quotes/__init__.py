"""Quotation extraction and in-article speaker attribution.

Runs on every article as it is added, so it is regex and one left-to-right pass over the
body, no NLP models. The steps:

1. pair quotation marks per paragraph (apostrophes and nested marks are not quote marks;
   an unclosed mark runs to the end of its paragraph, the newspaper convention for a
   quotation that continues in the next paragraph);
2. mask the quoted words, so cue verbs and names inside a quotation are not read as
   attribution, and split paragraphs into sentences;
3. find speech cues ("said", "added", "according to", ", saying") and their subjects:
   a name with its role, a role alone ("the Syrian President"), a pronoun, an organisation;
4. resolve each subject to the fullest name the article gives, in text order so that
   "he"/"it" mean the last person/organisation named as speaking;
5. give every quotation the cue that attributes it (after the quotation first, then
   before it), and quotations with none the speaker they continue: of their run over
   paragraphs, of the previous quotation, or of the last cue close before them.

Modules: `marks` (step 1), `phrases` (tokens, sentences, speaker phrases: steps 2-3),
`entities` (the article's who-is-who: step 4), `attribution` (the pass: steps 3-5). The
words they read are in `corpus.lexicon`, the name logic in `corpus.names`.
"""
from corpus.quotes.attribution import MIN_QUOTE_WORDS, ExtractedQuote, extract_quotes

__all__ = ["MIN_QUOTE_WORDS", "ExtractedQuote", "extract_quotes"]
