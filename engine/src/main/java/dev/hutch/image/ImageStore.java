package dev.hutch.image;

import java.util.List;

/**
 * Images and their content-addressed layers under {@code <libRoot>/images} and
 * {@code <libRoot>/layers} (see docs/layer-store.md).
 */
public interface ImageStore {

    /** The image for "name", "name:tag", a full id or a unique id prefix; NotFoundException otherwise. */
    Image resolve(String reference);

    /** Like {@link #resolve} but null instead of an exception. */
    Image find(String reference);

    List<Image> list();
}
