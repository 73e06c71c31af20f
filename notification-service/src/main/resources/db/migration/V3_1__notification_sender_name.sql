-- The From display name of one mail: the clinic it is about ("Peak Motion Clinic Sheffield"),
-- so a customer sees who writes. Null: the configured mail-from's own name. Numbered 3.1 so it
-- cannot collide with a V4 another change may add.
alter table notification add column sender_name text;
