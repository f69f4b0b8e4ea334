package dev.hutch.cli.api;

/**
 * An error the API answers with its HTTP status and docker's body, {@code {"message": "..."}}.
 * The docker CLI prints the message after "Error response from daemon: ", and decides from the
 * status what it is (404: not found, so {@code run} tries a pull; 409: conflict).
 */
final class ApiError extends RuntimeException {
    final int status;

    ApiError(int status, String message) {
        super(message);
        this.status = status;
    }

    static ApiError badParameter(String message) { return new ApiError(400, message); }

    static ApiError noSuchContainer(String ref) { return new ApiError(404, "No such container: " + ref); }

    static ApiError noSuchImage(String ref) { return new ApiError(404, "No such image: " + ref); }

    static ApiError conflict(String message) { return new ApiError(409, message); }

    static ApiError notImplemented(String message) { return new ApiError(501, message); }
}
