-- A reservation and the places it holds change together in ONE statement, never in a transaction
-- of several round trips. booking-service gives up on a reservation call after its time limit,
-- offer-service then cancels the request's work wherever it is, and a cancelled multi-statement
-- R2DBC transaction could be split: the ScaleOutIT promo-cap drill found offer.taken and the
-- reservations holding places out of step (299 and 301 held against taken = 300). PostgreSQL runs
-- a statement, and so this function, entirely or not at all, whenever the caller stops listening.
--
-- Order: the reservation row first (a concurrent retry of the same booking waits on it and then
-- finds it), then the customer's limit ("already used" outranks "exhausted"), then the cap. A
-- refusal undoes the block's own changes (the exception handler's subtransaction) and says why.
-- Each limit is one conditional write evaluated under its row's lock, as before.
--
-- Answers: RESERVED (this call made it), EXISTS (the booking already has a reservation: read it),
-- ALREADY_USED (no place left for this customer), EXHAUSTED (no place left under the cap).
create function reserve_promo_place(
    p_booking_id uuid, p_id uuid, p_offer_id uuid, p_code text, p_reference text, p_email text,
    p_treatment_id text, p_location_id text, p_appointment_at timestamptz, p_price_pence bigint,
    p_discount_pence bigint, p_created_at timestamptz, p_expires_at timestamptz, p_per_customer int)
returns text
language plpgsql
as $$
begin
    insert into reservation (booking_id, id, offer_id, code, booking_reference, customer_email, treatment_id,
                             location_id, appointment_at, price_pence, discount_pence, status, created_at, expires_at)
    values (p_booking_id, p_id, p_offer_id, p_code, p_reference, p_email, p_treatment_id, p_location_id,
            p_appointment_at, p_price_pence, p_discount_pence, 'RESERVED', p_created_at, p_expires_at)
    on conflict (booking_id) do nothing;
    if not found then
        return 'EXISTS';
    end if;

    insert into offer_customer (offer_id, customer_email, taken) values (p_offer_id, p_email, 1)
    on conflict (offer_id, customer_email) do update set taken = offer_customer.taken + 1
    where offer_customer.taken < p_per_customer;
    if not found then
        raise exception using errcode = 'CL001', message = 'customer limit reached';
    end if;

    update offer set taken = taken + 1
    where id = p_offer_id and (max_redemptions is null or taken < max_redemptions);
    if not found then
        raise exception using errcode = 'CL002', message = 'cap reached';
    end if;
    return 'RESERVED';
exception
    when sqlstate 'CL001' then return 'ALREADY_USED';
    when sqlstate 'CL002' then return 'EXHAUSTED';
end;
$$;
