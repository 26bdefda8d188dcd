-- The demo "shop" database: the operational system that Debezium captures (bronze.pg.*).
-- Applied once, when the database is created. Owned by the platform's application role.

CREATE TABLE customers (
    id          BIGSERIAL PRIMARY KEY,
    email       TEXT        NOT NULL UNIQUE,
    full_name   TEXT        NOT NULL,
    region      TEXT        NOT NULL,
    country     CHAR(2)     NOT NULL,
    created_at  TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_at  TIMESTAMPTZ NOT NULL DEFAULT now()
);

CREATE TABLE products (
    id          BIGSERIAL PRIMARY KEY,
    sku         TEXT          NOT NULL UNIQUE,
    name        TEXT          NOT NULL,
    category    TEXT          NOT NULL,
    price       NUMERIC(12,2) NOT NULL CHECK (price >= 0),
    currency    CHAR(3)       NOT NULL DEFAULT 'EUR',
    updated_at  TIMESTAMPTZ   NOT NULL DEFAULT now()
);

-- No foreign key to customers: in the lake an order may legitimately arrive before its customer, and the
-- topology, not the database, decides what to do about it.
CREATE TABLE orders (
    id            BIGSERIAL PRIMARY KEY,
    customer_id   BIGINT        NOT NULL,
    status        TEXT          NOT NULL,
    currency      CHAR(3)       NOT NULL,
    total_amount  NUMERIC(12,2) NOT NULL,
    ordered_at    TIMESTAMPTZ   NOT NULL DEFAULT now(),
    updated_at    TIMESTAMPTZ   NOT NULL DEFAULT now()
);

CREATE TABLE order_items (
    order_id    BIGINT        NOT NULL REFERENCES orders (id) ON DELETE CASCADE,
    line_no     INT           NOT NULL,
    product_id  BIGINT        NOT NULL,
    quantity    INT           NOT NULL,
    unit_price  NUMERIC(12,2) NOT NULL,
    PRIMARY KEY (order_id, line_no)
);

-- Full before-images, so that CDC update and delete events carry every column, not only the key.
ALTER TABLE customers   REPLICA IDENTITY FULL;
ALTER TABLE products    REPLICA IDENTITY FULL;
ALTER TABLE orders      REPLICA IDENTITY FULL;
ALTER TABLE order_items REPLICA IDENTITY FULL;

INSERT INTO customers (email, full_name, region, country) VALUES
    ('ada@example.com',     'Ada Lovelace',     'EMEA', 'GB'),
    ('grace@example.com',   'Grace Hopper',     'AMER', 'US'),
    ('alan@example.com',    'Alan Turing',      'EMEA', 'GB'),
    ('katherine@example.com','Katherine Johnson','AMER', 'US'),
    ('hedy@example.com',    'Hedy Lamarr',      'EMEA', 'AT'),
    ('tu@example.com',      'Tu Youyou',        'APAC', 'CN'),
    ('marie@example.com',   'Marie Curie',      'EMEA', 'FR'),
    ('srinivasa@example.com','Srinivasa Ramanujan','APAC','IN');

INSERT INTO products (sku, name, category, price, currency) VALUES
    ('SKU-0001', 'Espresso machine',   'kitchen',     249.00, 'EUR'),
    ('SKU-0002', 'Burr grinder',       'kitchen',      89.90, 'EUR'),
    ('SKU-0003', 'Pour-over kettle',   'kitchen',      45.50, 'EUR'),
    ('SKU-0004', 'Trail running shoes','sport',       129.00, 'EUR'),
    ('SKU-0005', 'Yoga mat',           'sport',        25.00, 'EUR'),
    ('SKU-0006', 'Noise-cancelling headphones','electronics', 299.99, 'USD'),
    ('SKU-0007', 'E-reader',           'electronics', 139.00, 'USD'),
    ('SKU-0008', 'Desk lamp',          'home',         39.95, 'GBP');

INSERT INTO orders (customer_id, status, currency, total_amount) VALUES
    (1, 'PAID',    'EUR', 338.90),
    (2, 'NEW',     'USD', 299.99),
    (3, 'SHIPPED', 'EUR',  50.00);

INSERT INTO order_items (order_id, line_no, product_id, quantity, unit_price) VALUES
    (1, 1, 1, 1, 249.00),
    (1, 2, 2, 1,  89.90),
    (2, 1, 6, 1, 299.99),
    (3, 1, 5, 2,  25.00);

-- Debezium's signalling table: a row inserted here asks the CDC connector for an incremental snapshot.
CREATE TABLE debezium_signal (
    id    VARCHAR(64)   PRIMARY KEY,
    type  VARCHAR(32)   NOT NULL,
    data  VARCHAR(2048)
);
