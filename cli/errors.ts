/** The CLI's user errors are defined at the bottom layer (core/errors.ts), where every layer can raise them. */
export { UserError } from "../core/errors.ts";
