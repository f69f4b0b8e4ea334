package dev.hutch;

/** A container, image, network or volume that the user named does not exist. */
public class NotFoundException extends HutchException {
    public NotFoundException(String message) { super(message); }
}
