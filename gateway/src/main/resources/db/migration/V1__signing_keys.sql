-- The issuer's signing keys. The private half is encrypted (AES-GCM, key from the environment);
-- the public half is published at /.well-known/jwks.json until the key is withdrawn.
create table signing_key (
    kid            text primary key,
    public_jwk     text        not null,
    private_jwk    bytea       not null,
    created_at     timestamptz not null,
    -- Published from created_at, signs new tokens from signs_from (so every service has fetched it first).
    signs_from     timestamptz not null,
    withdrawn_at   timestamptz
);
