package clinic.gateway.auth;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;

record LoginRequest(@NotBlank @Size(max = 320) String username, @NotBlank @Size(max = 1024) String password) {
    @Override
    public String toString() {
        return "LoginRequest[username=" + username + "]"; // never the password, should it ever be logged
    }
}
