package dev.sluice.connect.cdc.debezium;

import io.debezium.spi.converter.CustomConverter;
import io.debezium.spi.converter.RelationalColumn;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Properties;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaBuilder;

/**
 * Debezium custom converter for PostgreSQL {@code numeric[]} columns: each element as its PostgreSQL text, in the
 * schema {@code decimal.handling.mode=string} gives such a column (an array of optional strings).
 *
 * <p>Why: Debezium's own array conversion parses the whole array with the JDBC driver first, which rejects a
 * {@code 'NaN'} or {@code 'Infinity'} element ("Failed to read value of array"), failing the task in either decimal
 * mode before any record exists. A custom converter replaces that conversion and receives the driver's unparsed
 * array, so the row reaches {@link dev.sluice.connect.cdc.PreciseDecimals}, which turns the strings into precise
 * mode's decimals or dead-letters the row naming the special value.
 *
 * <p>It is loaded by Debezium's class loader, so it uses only Debezium's SPI, Connect's data API and the JDK (the
 * worker image puts it in the Debezium plugin's directory).
 */
public final class NumericArrayText implements CustomConverter<SchemaBuilder, RelationalColumn> {

    private static final String NUMERIC_ARRAY_TYPE = "_numeric";
    private static final String NULL_ELEMENT = "NULL";

    @Override
    public void configure(Properties props) {
    }

    @Override
    public void converterFor(RelationalColumn column, ConverterRegistration<SchemaBuilder> registration) {
        if (NUMERIC_ARRAY_TYPE.equals(column.typeName().toLowerCase(Locale.ROOT))) {
            registration.register(SchemaBuilder.array(Schema.OPTIONAL_STRING_SCHEMA), NumericArrayText::elements);
        }
    }

    /**
     * The elements of a numeric array's text form, e.g. {@code {1.50,NULL,NaN}}: the driver's array object (the
     * snapshot's result set and the decoded replication stream both give one, unparsed) prints as that text.
     */
    static List<String> elements(Object array) {
        if (array == null) {
            return null;
        }
        String text = array.toString();
        // An array with other bounds than 1 is printed with them first: [0:1]={1,2}.
        int start = text.startsWith("[") ? text.indexOf("={") + 1 : 0;
        List<String> elements = new ArrayList<>();
        int depth = 0;
        int elementStart = start + 1;
        for (int i = start + 1; i < text.length() - 1; i++) {
            char c = text.charAt(i);
            if (c == '{') {
                depth++;
            } else if (c == '}') {
                depth--;
            } else if (c == ',' && depth == 0) {
                elements.add(element(text.substring(elementStart, i)));
                elementStart = i + 1;
            }
        }
        if (elementStart < text.length() - 1) {
            elements.add(element(text.substring(elementStart, text.length() - 1)));
        }
        return elements;
    }

    /**
     * NULL for a NULL element, and for a sub-array of a multi-dimensional array, which Debezium's own conversion
     * also turns into a null element.
     */
    private static String element(String text) {
        return NULL_ELEMENT.equals(text) || text.startsWith("{") ? null : text;
    }
}
