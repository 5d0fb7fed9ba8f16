"""The PostgreSQL functions `corpus sql` lets a statement call (readonly.py's second line of
defence, behind the corpus_reader role), and the words that come before "(" without
being function calls.

A function is here when it only computes a value from its arguments and the rows read:
no function that reads files, changes settings or roles (set_config), signals other
sessions, writes or runs SQL given as a string (ts_rewrite, query_to_xml, ts_stat).
"""
from __future__ import annotations

ALLOWED_FUNCTIONS = frozenset("""
count sum avg min max string_agg array_agg bool_and bool_or every stddev stddev_pop stddev_samp
variance var_pop var_samp percentile_cont percentile_disc mode corr covar_pop covar_samp
regr_slope regr_intercept json_agg jsonb_agg json_object_agg jsonb_object_agg
row_number rank dense_rank percent_rank cume_dist ntile lag lead first_value last_value nth_value
lower upper length char_length character_length octet_length bit_length substr substring left right
trim btrim ltrim rtrim lpad rpad replace position strpos split_part concat concat_ws initcap
reverse repeat translate format md5 starts_with to_hex ascii chr quote_literal quote_ident
quote_nullable regexp_replace regexp_match regexp_matches regexp_split_to_array
regexp_split_to_table regexp_count regexp_like regexp_substr regexp_instr string_to_array
array_to_string string_to_table normalize unistr
abs round ceil ceiling floor trunc sqrt cbrt power exp ln log log10 mod sign div width_bucket
gcd lcm random pi degrees radians sin cos tan
greatest least coalesce nullif num_nulls num_nonnulls
now date_trunc date_part extract age to_char to_date to_timestamp to_number make_date make_time
make_timestamp make_timestamptz make_interval justify_days justify_hours justify_interval
date_bin timezone isfinite clock_timestamp statement_timestamp transaction_timestamp
array_length array_lower array_upper array_ndims array_dims cardinality unnest array_position
array_positions array_remove array_replace array_append array_prepend array_cat
generate_series generate_subscripts
json_build_object jsonb_build_object json_build_array jsonb_build_array to_json to_jsonb
json_extract_path jsonb_extract_path json_extract_path_text jsonb_extract_path_text
json_array_elements jsonb_array_elements json_array_elements_text jsonb_array_elements_text
json_each jsonb_each json_each_text jsonb_each_text json_object_keys jsonb_object_keys
json_array_length jsonb_array_length json_typeof jsonb_typeof row_to_json array_to_json
jsonb_pretty jsonb_strip_nulls json_strip_nulls jsonb_set jsonb_insert jsonb_path_query
jsonb_path_query_array jsonb_path_query_first jsonb_path_exists jsonb_path_match
to_tsvector to_tsquery plainto_tsquery phraseto_tsquery websearch_to_tsquery ts_rank ts_rank_cd
ts_headline setweight strip numnode querytree tsvector_to_array array_to_tsvector ts_delete
ts_filter
pg_typeof pg_column_size pg_size_pretty pg_sleep
""".split())

# Words that stand before "(" in a statement without calling a function.
NOT_FUNCTIONS = frozenset("""
select from where in exists any some all and or not on using as values over filter within join
lateral when then else by having case is between like ilike similar distinct union intersect
except with recursive materialized array row cast extract position overlay substring trim
grouping rollup cube sets table limit offset fetch explain analyze verbose costs buffers timing
summary format settings wal generic_plan interval numeric decimal varchar char character
varying bit timestamp time float double precision collate escape tablesample ordinality
returning order group partition range rows groups preceding following unbounded current
window only null true false
""".split())
