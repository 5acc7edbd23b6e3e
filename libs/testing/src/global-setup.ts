// Placeholder: replaced by the infrastructure picker.
export default async function setup() {
  return async () => undefined;
}
