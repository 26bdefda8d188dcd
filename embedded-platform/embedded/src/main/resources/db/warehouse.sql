-- The demo "warehouse" database: the third-party system that the JDBC source connector polls
-- incrementally by timestamp and id (bronze.warehouse.*). Applied once, when the database is created.

CREATE TABLE exchange_rates (
    id           BIGSERIAL PRIMARY KEY,
    currency     CHAR(3)        NOT NULL,
    rate_to_eur  NUMERIC(18,8)  NOT NULL CHECK (rate_to_eur > 0),
    valid_from   TIMESTAMPTZ    NOT NULL DEFAULT now(),
    updated_at   TIMESTAMPTZ    NOT NULL DEFAULT now()
);
CREATE INDEX exchange_rates_updated ON exchange_rates (updated_at, id);

CREATE TABLE product_catalog (
    id           BIGSERIAL PRIMARY KEY,
    sku          TEXT           NOT NULL UNIQUE,
    supplier     TEXT           NOT NULL,
    weight_grams INT,
    description  TEXT,
    updated_at   TIMESTAMPTZ    NOT NULL DEFAULT now()
);
CREATE INDEX product_catalog_updated ON product_catalog (updated_at, id);

INSERT INTO exchange_rates (currency, rate_to_eur) VALUES
    ('EUR', 1.00000000),
    ('USD', 0.92000000),
    ('GBP', 1.17000000),
    ('CHF', 1.05000000);

INSERT INTO product_catalog (sku, supplier, weight_grams, description) VALUES
    ('SKU-0001', 'Brewtech GmbH',     9800, 'Dual-boiler espresso machine'),
    ('SKU-0002', 'Brewtech GmbH',     2100, 'Conical burr grinder'),
    ('SKU-0003', 'Kettle & Co',        900, 'Gooseneck kettle, 1 l'),
    ('SKU-0004', 'Fell Sports Ltd',    560, 'Trail shoes, size run 38-47'),
    ('SKU-0005', 'Fell Sports Ltd',   1200, 'Natural rubber mat'),
    ('SKU-0006', 'Soundwave Inc',      250, 'Over-ear, ANC'),
    ('SKU-0007', 'Inkpage Inc',        180, '7 inch e-ink'),
    ('SKU-0008', 'Lumen Home',         1300, 'LED, dimmable');
