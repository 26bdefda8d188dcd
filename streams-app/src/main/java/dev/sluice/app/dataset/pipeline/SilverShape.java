package dev.sluice.app.dataset.pipeline;

import java.util.List;

import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;

import dev.sluice.app.silver.PiiPolicy;

/** A derived silver schema and how to fill it from a record of the bronze schema it was derived from. */
public final class SilverShape {

    private final Schema schema;
    private final List<SilverColumn> columns;

    SilverShape(Schema schema, List<SilverColumn> columns) {
        this.schema = schema;
        this.columns = List.copyOf(columns);
    }

    public Schema schema() {
        return schema;
    }

    /** The silver record of {@code bronze}, a record of the bronze schema this shape was derived from. */
    public GenericRecord build(GenericRecord bronze, long timestamp, PiiPolicy pii) {
        GenericData.Record silver = new GenericData.Record(schema);
        for (int i = 0; i < columns.size(); i++) {
            silver.put(i, columns.get(i).value(bronze, timestamp, pii));
        }
        return silver;
    }
}
