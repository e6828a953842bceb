-- The member's profile (tier, lifetime points, orders, last order) now also lives in the hot
-- copy in Redis, so that a quote reads nothing from PostgreSQL (ADR 0014). Every change of a
-- member row moves its profile_version on by one, in the same statement; the hot copy keeps
-- the version it holds and takes a profile only with a higher one. Updates carried to Redis
-- out of order, twice, or after the member was reloaded from a newer read therefore never
-- put an older profile back.
alter table member add column profile_version bigint not null default 0
    check (profile_version >= 0);

create function member_profile_version() returns trigger
language plpgsql set search_path from current as $$
begin
    new.profile_version := old.profile_version + 1;
    return new;
end;
$$;

create trigger member_profile_version before update on member
    for each row execute function member_profile_version();
