-- Every instance keeps the (short) list of revoked stateless access tokens in memory, so that
-- introspecting a token costs no query; a revocation anywhere reaches them all at once.
create trigger revoked_access_token_added after insert on revoked_access_token
    for each row execute function notify_change('ostiary_revoked_token', 'jti');
