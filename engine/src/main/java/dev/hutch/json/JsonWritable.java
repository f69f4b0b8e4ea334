package dev.hutch.json;

/** A value that converts itself to plain JSON values (maps, lists, strings, numbers, booleans). */
public interface JsonWritable {
    Object toJson();
}
