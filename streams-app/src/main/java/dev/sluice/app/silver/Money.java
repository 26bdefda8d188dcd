package dev.sluice.app.silver;

import java.math.BigDecimal;
import java.math.RoundingMode;

/**
 * Scales of the money and rate decimals in the silver and gold schemas. Avro decimals must carry exactly their
 * schema's scale, so every value is set to it here, rounding half-even where precision is lost.
 */
public final class Money {

    /** Scale of prices and amounts. */
    public static final int AMOUNT_SCALE = 2;
    /** Scale of exchange rates as the warehouse keeps them. */
    public static final int SOURCE_RATE_SCALE = 8;
    /** Scale of derived conversion rates. */
    public static final int RATE_SCALE = 10;

    private Money() {
    }

    public static BigDecimal price(BigDecimal value) {
        return value == null ? null : value.setScale(AMOUNT_SCALE, RoundingMode.HALF_EVEN);
    }

    public static BigDecimal rate(BigDecimal value) {
        return value == null ? null : value.setScale(SOURCE_RATE_SCALE, RoundingMode.HALF_EVEN);
    }

    public static BigDecimal conversionRate(BigDecimal value) {
        return value == null ? null : value.setScale(RATE_SCALE, RoundingMode.HALF_EVEN);
    }
}
