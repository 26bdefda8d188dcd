package dev.sluice.connect.s3;

import org.apache.avro.generic.GenericData;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.errors.DataException;
import org.apache.kafka.connect.sink.SinkRecord;

/** Writes one sink record as a row of a file schema; compiled once per (value schema, file schema). */
final class RowProjector {

    private final ProjectorCompiler.RecordConverter converter;
    /** The struct that wraps a value that is not one ({@link AvroSchemaTranslator#structView}); null for structs. */
    private final org.apache.kafka.connect.data.Schema wrapper;
    private final SinkColumns.Positions columns;

    RowProjector(ProjectorCompiler.RecordConverter converter, org.apache.kafka.connect.data.Schema wrapper,
                 SinkColumns.Positions columns) {
        this.converter = converter;
        this.wrapper = wrapper;
        this.columns = columns;
    }

    /** @throws DataException if a value does not fit (e.g. a decimal too precise) */
    GenericData.Record project(SinkRecord record) {
        Object value = record.value();
        Struct struct;
        if (wrapper != null) {
            struct = new Struct(wrapper).put(AvroSchemaTranslator.WRAPPED_VALUE_FIELD, value);
        } else if (value instanceof Struct s) {
            struct = s;
        } else {
            throw new DataException("Expected a Struct value but got " + ProjectorCompiler.typeName(value));
        }
        GenericData.Record row = converter.convert(struct);
        columns.fill(row, record, false);
        return row;
    }
}
