package dev.hutch.oci;

import dev.hutch.HutchException;

/** runc's "container does not exist": containerd and podman match these words to tell a gone container. */
public final class OciNotFoundException extends HutchException {
    public OciNotFoundException(String id) { super("container " + id + " does not exist"); }
}
