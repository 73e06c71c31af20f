/**
 * The platform's one token issuer: ES256 signing keys (generated here, private halves encrypted in
 * the gateway's database), their public halves at {@code /.well-known/jwks.json}, rotation and
 * withdrawal without a restart, users' tokens for sign-in and services' tokens by client
 * credentials. docs/adr/0008-a-small-issuer-in-the-gateway.md says why not Spring Authorization Server.
 */
package clinic.gateway.issuer;
