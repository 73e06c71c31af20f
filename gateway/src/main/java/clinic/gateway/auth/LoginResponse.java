package clinic.gateway.auth;

import java.util.List;

record LoginResponse(String accessToken, String tokenType, long expiresIn, List<String> roles) {}
